import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { type Logger, LogLevel } from '@slack/bolt';

const RANK: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/** Bolt's logger interface on top of our structured JSON logger (warnings and errors by default). */
export function boltLogger(log: PowertoolsLogger, initial: LogLevel = LogLevel.WARN): Logger {
  let level = initial;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m)))
      .join(' ');
  const at = (l: LogLevel) => RANK[l] >= RANK[level];
  return {
    debug: (...m: unknown[]) => at(LogLevel.DEBUG) && log.debug(`bolt: ${text(m)}`),
    info: (...m: unknown[]) => at(LogLevel.INFO) && log.info(`bolt: ${text(m)}`),
    warn: (...m: unknown[]) => at(LogLevel.WARN) && log.warn(`bolt: ${text(m)}`),
    error: (...m: unknown[]) => at(LogLevel.ERROR) && log.error(`bolt: ${text(m)}`),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  } as Logger;
}
