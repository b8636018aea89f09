import type { ParseArgsOptionsConfig } from 'node:util';
import { parseCli, usageExit } from '../../providers/cli';

/**
 * The flags every benchmark takes, on the shared command-line prologue (providers/cli: `--help` exits
 * 0, unknown flags exit 2 naming them): named positive integers (`--runs 7`), optional named strings
 * (`--only a,b`) and `--json`. The defaults give the names; the usage lists them unless one is given.
 */
export function parseBenchArgs<
  N extends Record<string, number>,
  S extends Record<string, string | undefined> = Record<never, never>,
>(
  argv: string[],
  ints: N,
  opts: { usage?: string; strings?: S; stringHelp?: Partial<Record<keyof S, string>> } = {},
): N & S & { json: boolean } {
  const strings = (opts.strings ?? {}) as S;
  const usageText =
    opts.usage ??
    `usage: ${[
      ...Object.keys(ints).map((k) => `[--${k} N]`),
      ...Object.keys(strings).map((k) => `[--${k} ${opts.stringHelp?.[k] ?? 'VALUE'}]`),
      '[--json]',
    ].join(' ')}\n  (defaults: ${Object.entries(ints)
      .map(([k, v]) => `--${k} ${v}`)
      .join(', ')})`;
  const usage = `${usageText.trimEnd()}\n  --help  this text`;
  const options: ParseArgsOptionsConfig = { json: { type: 'boolean' } };
  for (const k of [...Object.keys(ints), ...Object.keys(strings)]) options[k] = { type: 'string' };
  const { values } = parseCli({ usage, options, config: false }, argv);
  const out: Record<string, unknown> = { ...strings, ...ints, json: values.json === true };
  for (const k of Object.keys(strings)) if (values[k] !== undefined) out[k] = values[k];
  for (const k of Object.keys(ints)) {
    const raw = values[k];
    if (raw === undefined) continue;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) usageExit(usage, `--${k} needs a positive integer, got "${raw}"`);
    out[k] = v;
  }
  return out as N & S & { json: boolean };
}
