// De-duplication of anomalies across detection runs (bdp-anomaly-tracking, conditional writes).
export { TRACKING_TTL_DAYS, type TrackOptions, type TrackResult, trackAnomaly } from './anomaly-tracker';
