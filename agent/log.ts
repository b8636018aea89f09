import { Logger } from '@aws-lambda-powertools/logger';

let base: Logger | undefined;
/** The agent's structured logger, created on first use so entry points (the CLI) can set the level first. */
export function agentLogger(): Logger {
  base ??= new Logger({ serviceName: 'bdp-agent' });
  return base;
}
