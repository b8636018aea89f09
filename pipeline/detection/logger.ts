import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs for detection runs (level from POWERTOOLS_LOG_LEVEL / LOG_LEVEL at the handler). */
export const logger = new Logger({ serviceName: 'bdp-detect' });
