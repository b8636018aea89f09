import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema, loadConfig } from '../../../providers/config';

const EXAMPLE = join(__dirname, '..', '..', '..', '.env.example');

/** `.env.example` as [name, value, comment line above it]. */
function parseExample(): Array<{ name: string; value: string; comment: string | undefined }> {
  const lines = readFileSync(EXAMPLE, 'utf8').split('\n');
  const out: Array<{ name: string; value: string; comment: string | undefined }> = [];
  lines.forEach((line, i) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) return;
    const prev = lines[i - 1]?.trim();
    out.push({ name: m[1]!, value: m[2]!, comment: prev?.startsWith('#') ? prev : undefined });
  });
  return out;
}

describe('.env.example stays in step with the config schema', () => {
  const entries = parseExample();

  test('it lists exactly the variables of envSchema, each once', () => {
    const names = entries.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  test('every variable has a one-line comment above it', () => {
    const missing = entries.filter((e) => !e.comment || e.comment.length < 10).map((e) => e.name);
    expect(missing).toEqual([]);
  });

  test('the values shown are the defaults: loading the file gives the same config as an empty env', () => {
    const env = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    expect(loadConfig(env)).toEqual(loadConfig({}));
    // …and no default is hidden behind an empty line.
    const defaults = loadConfig({}) as Record<string, unknown>;
    const blankButDefaulted = entries
      .filter((e) => e.value === '' && defaults[e.name] !== undefined && defaults[e.name] !== '')
      .filter((e) => !(Array.isArray(defaults[e.name]) && (defaults[e.name] as unknown[]).length === 0))
      .map((e) => e.name);
    expect(blankButDefaulted).toEqual([]);
  });

  test('it holds no real secret values', () => {
    const byName = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    for (const name of [
      'GEMINI_API_KEY',
      'SLACK_SIGNING_SECRET',
      'SLACK_BOT_TOKEN',
      'MicrosoftAppPassword',
    ]) {
      expect(byName[name]).toBe('');
    }
  });
});
