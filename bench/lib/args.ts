/**
 * The flags every benchmark takes: named positive integers (`--runs 7`) and `--json`. Defaults give
 * the names; anything else is an error that lists what is accepted.
 */
export function parseBenchArgs<T extends Record<string, number>>(
  argv: string[],
  defaults: T,
): T & { json: boolean } {
  const out: Record<string, number> = { ...defaults };
  let json = false;
  const usage = [...Object.keys(defaults).map((k) => `--${k} N`), '--json'].join(', ');
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') {
      json = true;
      continue;
    }
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(name in defaults))
      throw new Error(`unknown argument ${flag} (use ${usage})`);
    const v = Number(argv[++i]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} needs a positive integer`);
    out[name] = v;
  }
  return { ...(out as T), json };
}
