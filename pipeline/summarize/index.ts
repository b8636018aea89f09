/**
 * Log summarisation (pure library, no I/O): masking of variable parts, online Drain-style template
 * mining, a generic header splitter for raw log lines, and the hierarchical service → severity →
 * template summary that fits a token budget. The agent may import this folder (documented layering
 * exception: no handlers, no I/O).
 */
export {
  DEFAULT_HEADER_OPTIONS,
  type HeaderLearnOptions,
  type HeaderModel,
  HeaderSplitter,
  learnHeader,
  messageStart,
  type SplitLine,
  splitHeader,
} from './header';
export { maskEquals, maskedTokens, maskHash, maskRange, maskToken, maskVariables, WILDCARD } from './mask';
export { DEFAULT_MINER_OPTIONS, groupIdOf, type MinedGroup, type MinerOptions, TemplateMiner } from './miner';
export { linesToRecords } from './records';
export { fitToBudget, renderSummary } from './render';
export {
  type GroupDetail,
  type LogRecord,
  LogRecordSchema,
  type LogSummary,
  LogSummarySchema,
  type SampleRow,
  type ServiceNode,
  type SeverityNode,
  type SummarizeOptions,
  type TemplateGroup,
  type VariableSummary,
} from './schema';
export { inferLevel, normalizeLevel, severityRank } from './severity';
export { groupRows, type RowGrouping, summarizeLogs } from './summarize';
export { countTokens } from './tokens';
