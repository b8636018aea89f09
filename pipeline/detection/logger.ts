import { createLogger } from '../../providers/redact';

/** Structured JSON logs for detection runs (level from POWERTOOLS_LOG_LEVEL / LOG_LEVEL at the handler). */
export const logger = createLogger('bdp-detect');
