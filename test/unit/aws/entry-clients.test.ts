import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_SPECS } from '../../../infra/functions-spec';

const ROOT = resolve(__dirname, '../../..');
const SERVICE_USE =
  /\baws\??\.(cloudwatch|logs|unifiedLogs|dynamo|lambda|events|sfn|rdsParams|dbSessions|autoScaling|objects|secrets)\b/g;
const CLIENT_FILE = /^providers\/aws\/clients\/([a-z0-9-]+)\.ts$/;

/** Our own source files an entry's bundle holds (packages left out: only the import graph matters). */
async function bundleOf(entry: string): Promise<{ files: string[]; text: string }> {
  const r = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    outfile: join(ROOT, 'out.js'),
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  // What reaches the output after tree shaking (a re-export nobody uses is not there).
  const out = Object.values(r.metafile.outputs)[0]!;
  const files = Object.entries(out.inputs)
    .filter(([f, i]) => !f.startsWith('node_modules/') && i.bytesInOutput > 0)
    .map(([f]) => f);
  return { files, text: r.outputFiles[0]!.text };
}

/** The service a clients/<file>.ts registers (read from its registerAwsClient call). */
function registeredKey(file: string): string {
  const m = /registerAwsClient\(\s*'(\w+)'/.exec(readFileSync(join(ROOT, file), 'utf8'));
  if (!m) throw new Error(`${file} registers no client`);
  return m[1]!;
}

const entries = FUNCTION_SPECS.filter((s) => existsSync(join(ROOT, s.entry)));

describe('per-entry AWS clients', () => {
  it.each(entries.map((s) => [s.key, s.entry]))(
    '%s (%s) registers a real client for every aws.<service> its code calls, and only those',
    async (_key, entry) => {
      const { files } = await bundleOf(entry);
      const used = new Set<string>();
      for (const f of files) {
        if (f.startsWith('providers/aws/')) continue; // the providers themselves, not callers
        for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(SERVICE_USE)) used.add(m[1]!);
      }
      const registered = new Set(
        files.filter((f) => CLIENT_FILE.test(f) && !f.endsWith('/registry.ts')).map(registeredKey),
      );
      expect(files).not.toContain('providers/aws/clients/all.ts');
      expect([...used].filter((k) => !registered.has(k))).toEqual([]);
      // A client registered but never called would only weigh the bundle down.
      expect([...registered].filter((k) => !used.has(k) && k !== 'secrets')).toEqual([]);
    },
  );

  it('Lambda bundles leave the mocks and local engines out', async () => {
    for (const s of entries) {
      const { text } = await bundleOf(s.entry);
      const found = text.match(/class Mock[A-Z]\w*|startLocalDynamo|dynalite|pglite/gi);
      expect({ entry: s.entry, found }).toEqual({ entry: s.entry, found: null });
    }
  });
});
