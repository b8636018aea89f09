/** CloudWatch Logs: the SDK provider (FilterLogEvents, Logs Insights) and the mock with its filter-pattern and Insights subsets. */
export { matchesFilter, type ParsedFilter, parseFilterPattern } from './filter-pattern';
export { formatTimestamp, runInsightsQuery } from './insights';
export { MockCloudWatchLogs, type NewLogEvent } from './mock';
export { type InsightsPolling, SdkCloudWatchLogs } from './real';
