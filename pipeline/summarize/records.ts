/**
 * Turns the lines of a log file into LogRecords: JSON lines that look like records are taken as
 * they are; any other line is split generically into header and message (see `splitHeader`).
 */
import { splitHeader } from './header';
import { type LogRecord, LogRecordSchema } from './schema';

/** Reads text lines as records; `service` names the source for raw lines. */
export function linesToRecords(lines: readonly string[], service: string): LogRecord[] {
  return lines.map((line, i) => {
    if (line.startsWith('{')) {
      try {
        const parsed = LogRecordSchema.safeParse(JSON.parse(line));
        if (parsed.success) return parsed.data;
      } catch {
        // Not JSON after all: treat it as a raw line.
      }
    }
    const { messageStart, level } = splitHeader(line);
    const header = line.slice(0, messageStart).trim();
    return {
      // Raw lines keep file order; the header text (or the line number) stands in for the time.
      timestamp: header !== '' ? header : `line ${i + 1}`,
      service,
      level: level ?? 'UNKNOWN',
      message: line.slice(messageStart),
    };
  });
}
