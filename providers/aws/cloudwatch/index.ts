/** CloudWatch metrics: the SDK provider (GetMetricData with an anomaly band, batched PutMetricData) and the in-memory mock. */
export { BAND_HISTORY, BAND_MIN_HISTORY, statistic, trailingBand } from './aggregate';
export { MockCloudWatch } from './mock';
export { PUT_BATCH, SdkCloudWatch } from './real';
