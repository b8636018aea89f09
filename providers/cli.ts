import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';

/**
 * The one way every local command line (npm scripts) reads its arguments and `.env`:
 * - `--help`/`-h` prints the usage and exits 0 before anything else happens (no work, no `.env`);
 * - arguments go through `node:util` `parseArgs` (strict): an unknown option, a missing value or a
 *   stray positional exits 2 with a message naming it, followed by the usage;
 * - `.env` in the working folder, if present, is loaded with `process.loadEnvFile` (variables already
 *   set win) and, unless `config: false`, the environment is validated like at start-up: a bad value
 *   exits 1 naming the variable.
 * Entries import their heavy modules after this returns, so `--help` stays fast.
 */
export class UsageError extends Error {}

export interface CliSpec<O extends ParseArgsOptionsConfig> {
  usage: string;
  options: O;
  /** How many positionals are accepted (default none). */
  positionals?: { min: number; max: number; name: string };
  /** Validate the environment (after `.env`) with the product's config schema. Default true. */
  config?: boolean;
}

type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O }>>['values'];

export interface Parsed<O extends ParseArgsOptionsConfig> {
  values: Values<O>;
  positionals: string[];
}

/** Parses without exiting: throws UsageError. Exported for tests and for `parseCli`. */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  argv: string[],
): Parsed<O> {
  let parsed: { values: Values<O>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true }) as never;
  } catch (e) {
    // Node's messages name the option ("Unknown option '--x'", "Option '--port <value>' argument missing").
    throw new UsageError((e as Error).message);
  }
  const p = spec.positionals ?? { min: 0, max: 0, name: '' };
  if (parsed.positionals.length > p.max)
    throw new UsageError(`unexpected argument '${parsed.positionals[p.max]}'`);
  if (parsed.positionals.length < p.min) throw new UsageError(`missing ${p.name}`);
  return parsed;
}

export function wantsHelp(argv: string[]): boolean {
  // `--` ends the options: anything after it is a positional, even "--help".
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Loads `.env` from `dir` if it exists. Returns whether it did. */
export function loadDotEnv(dir = process.cwd()): boolean {
  const file = join(dir, '.env');
  if (!existsSync(file)) return false;
  process.loadEnvFile(file);
  return true;
}

/** The whole prologue of a local entry; exits on --help (0), bad arguments (2) or a bad environment (1). */
export function parseCli<O extends ParseArgsOptionsConfig>(
  spec: CliSpec<O>,
  argv = process.argv.slice(2),
): Parsed<O> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${spec.usage.trimEnd()}\n`);
    process.exit(0);
  }
  let parsed: Parsed<O>;
  try {
    parsed = parseCommandLine(spec, argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageExit(spec.usage, e.message);
  }
  loadDotEnv();
  if (spec.config !== false) {
    try {
      loadConfig();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
  }
  return parsed;
}

/** Bad usage found after parsing (a value out of range): the message, the usage, exit 2. */
export function usageExit(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage.trimEnd()}\n`);
  process.exit(2);
}
