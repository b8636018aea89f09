import type { Logger } from '@aws-lambda-powertools/logger';
import { createLogger } from '../providers/redact';

let base: Logger | undefined;
/** The agent's structured logger, created on first use so entry points (the CLI) can set the level first. */
export function agentLogger(): Logger {
  base ??= createLogger('bdp-agent');
  return base;
}
