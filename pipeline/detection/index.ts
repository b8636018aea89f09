// Detection: the three sources (CloudWatch metric bands, unified logs in RDS, CloudWatch Logs),
// stable signatures, severity rules, and one run that de-duplicates and groups into incidents.
export { DetectInput, DetectOutput, parseDetectInput, SourceError } from './contract';
export { type DetectRuntime, detect } from './detect';
export { groupIncidents, incidentId, onDemandAnomaly } from './incidents';
export { detectLogGroupAnomalies, kindForPattern } from './log-group-source';
export { detectMetricAnomalies, evaluateBand } from './metric-source';
export { compareAnomalies, type DetectionRun, runDetection } from './run';
export { closestNames, resolveService, UnknownServiceError } from './services';
export {
  bandDistance,
  bandSeverity,
  errorRatio,
  errorRatioSeverity,
  MIN_ERROR_RATIO,
  maxSeverity,
  SEVERITY_RANK,
} from './severity';
export { anomalySignature, type SignatureParts } from './signature';
export { logTemplate, pickSamples, templateCounts } from './templates';
export { detectUnifiedLogAnomalies } from './unified-log-source';
export { type DetectionWindow, detectionWindow, type SourceResult } from './window';
