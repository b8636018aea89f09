import { serviceLogger } from '../../providers/logging';

/** Structured JSON logs for detection runs (level from POWERTOOLS_LOG_LEVEL / LOG_LEVEL at the handler). */
export const logger = serviceLogger('bdp-detect');
