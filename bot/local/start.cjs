// `npm start`: runs the local workspace (bot/local/main.ts) from one JavaScript bundle that esbuild
// builds on the first start and again only when a source it was built from changed, instead of
// compiling every TypeScript file with tsx at each start (seconds of CPU and ~100 MB of heap).
// Packages stay external (node loads them from node_modules as usual); each source's `__dirname`
// is kept as its own folder, so the page, schema and playground files are found where they are.
const { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'bdp-workspace');
const OUT = join(OUT_DIR, 'main.cjs');
const MANIFEST = join(OUT_DIR, 'inputs.json');

/** True when the bundle is missing or any input it was built from changed (or disappeared). */
function stale() {
  if (!existsSync(OUT) || !existsSync(MANIFEST)) return true;
  try {
    const inputs = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    return Object.entries(inputs).some(([file, mtime]) => statSync(join(ROOT, file)).mtimeMs !== mtime);
  } catch {
    return true;
  }
}

/** Keeps `__dirname` of each of our sources pointing at its own folder inside the bundle. */
const keepDirname = {
  name: 'keep-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('__dirname')) return undefined;
      return { contents: text.replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path))), loader: 'ts' };
    });
  },
};

async function ensureBundle() {
  if (!stale()) return;
  const t = Date.now();
  const { build } = require('esbuild');
  const r = await build({
    entryPoints: [join(ROOT, 'bot/local/main.ts')],
    outfile: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'error',
    absWorkingDir: ROOT,
    plugins: [keepDirname],
  });
  mkdirSync(OUT_DIR, { recursive: true });
  const inputs = {};
  for (const f of Object.keys(r.metafile.inputs)) inputs[f] = statSync(join(ROOT, f)).mtimeMs;
  writeFileSync(MANIFEST, JSON.stringify(inputs));
  process.stderr.write(`built the workspace bundle in ${Date.now() - t} ms (${relative(ROOT, OUT)})\n`);
}

ensureBundle().then(
  () => {
    process.setSourceMapsEnabled?.(true);
    require(OUT);
  },
  (e) => {
    console.error(`npm start: could not build the workspace: ${e.message}`);
    process.exit(1);
  },
);
