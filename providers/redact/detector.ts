/**
 * The maintained detector: secretlint's recommended rule preset, used as a library. ESM-only, so
 * it is loaded with a dynamic import on first use (and never in entries that do not redact).
 */
type LintSource = typeof import('@secretlint/core', { with: { 'resolution-mode': 'import' }}).lintSource;
type SecretLintCoreConfig = Parameters<LintSource>[0]['options']['config'];
let loaded: Promise<{ lintSource: LintSource; config: SecretLintCoreConfig }> | undefined;

function load() {
  loaded ??= (async () => {
    const [core, preset, profiler] = await Promise.all([
      import('@secretlint/core'),
      import('@secretlint/secretlint-rule-preset-recommend'),
      import('@secretlint/profiler'),
    ]);
    // secretlint's profiler puts ~32 performance marks per call on the process-wide timeline and
    // keeps every entry in an array it searches linearly: unbounded memory and quadratic time in a
    // long-lived process. We never read the profile, so its marks go nowhere.
    const p = profiler.secretLintProfiler as unknown as { perf: unknown };
    p.perf = { mark: () => undefined, measure: () => undefined };
    const config: SecretLintCoreConfig = {
      rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }],
    };
    return { lintSource: core.lintSource, config };
  })();
  return loaded;
}

/** Character ranges [start, end) secretlint reports as secrets in `text`. */
export async function detectSecretRanges(text: string): Promise<[number, number][]> {
  const { lintSource, config } = await load();
  const result = await lintSource({
    source: { filePath: 'input.txt', content: text, contentType: 'text', ext: '.txt' },
    options: { config, noPhysicFilePath: true, maskSecrets: true },
  });
  return result.messages.map((m) => [m.range[0], m.range[1]] as [number, number]);
}

/**
 * Worth running the detector? Skips text with nothing secret-shaped left after the masks: no long
 * token-like run and no keyword the preset's rules look for.
 */
const LONG_RUN = /[A-Za-z0-9+/_=-]{24,}/;
const KEYWORDS =
  /key|secret|token|passw|BEGIN|PRIVATE|hooks|webhook|basic|bearer|:\/\/|npm|gh[pousr]_|glpat|AIza|shpat|xox/i;
export function worthDetecting(text: string): boolean {
  return LONG_RUN.test(text) || KEYWORDS.test(text);
}
