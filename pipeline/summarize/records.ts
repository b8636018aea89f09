/**
 * Turns the lines of a log file into LogRecords: JSON lines that look like records are taken as
 * they are; any other line is split into header and message by a header splitter that learns the
 * header from the file's first lines (see `HeaderSplitter`). A line whose header has no severity
 * gets one from its message (see `inferLevel`).
 */
import { HeaderSplitter } from './header';
import { type LogRecord, LogRecordSchema } from './schema';
import { inferLevel } from './severity';

/** Lines a header is learned from: the first ones that are not JSON records. */
const SAMPLE = 256;

/** Reads text lines as records; `service` names the source for raw lines. */
export function linesToRecords(lines: readonly string[], service: string): LogRecord[] {
  const sample: string[] = [];
  for (const line of lines) {
    if (sample.length >= SAMPLE) break;
    if (!line.startsWith('{')) sample.push(line);
  }
  const splitter = new HeaderSplitter(sample);
  return lines.map((line, i) => {
    if (line.startsWith('{')) {
      try {
        const parsed = LogRecordSchema.safeParse(JSON.parse(line));
        if (parsed.success) return parsed.data;
      } catch {
        // Not JSON after all: treat it as a raw line.
      }
    }
    const { messageStart, level } = splitter.split(line);
    const header = line.slice(0, messageStart).trim();
    const message = line.slice(messageStart);
    return {
      // Raw lines keep file order; the header text (or the line number) stands in for the time.
      timestamp: header !== '' ? header : `line ${i + 1}`,
      service,
      level: level ?? inferLevel(message),
      message,
    };
  });
}
