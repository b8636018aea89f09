import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * The Chromium the browser tests drive, first found of:
 * 1. `CHROMIUM_PATH` (any Chromium the user points at; must exist),
 * 2. Debian's `/usr/bin/chromium` (what `.ci/run` installs),
 * 3. the headless shell packaged in the `@sparticuz/chromium` dev dependency, so `npm ci && npm test`
 *    needs no system browser. Its binary links only libc, NSS/NSPR and expat; the package's own
 *    Amazon Linux lib bundle carries NSS/NSPR/expat, so we always put that bundle first on
 *    `LD_LIBRARY_PATH` (a fresh Debian lacks libnss3) and point fontconfig at its fonts.
 */
export interface ResolvedChromium {
  source: 'CHROMIUM_PATH' | 'debian' | '@sparticuz/chromium';
  executablePath: string;
  /** Extra environment for the browser process (only for the packaged build). */
  env?: Record<string, string>;
}

const ROOT = resolve(__dirname, '../..');
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function resolveChromium(env: NodeJS.ProcessEnv = process.env): ResolvedChromium {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return { source: 'CHROMIUM_PATH', executablePath: fromEnv };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { source: 'debian', executablePath: DEBIAN_CHROMIUM };
  return packagedChromium();
}

/** Unpacks the packaged build once per version into node_modules/.cache (atomic rename: parallel Jest workers race safely). */
function packagedChromium(): ResolvedChromium {
  // Its `exports` hide package.json: find it from the entry (build/cjs/index.cjs).
  const pkgDir = resolve(dirname(require.resolve('@sparticuz/chromium', { paths: [ROOT] })), '../..');
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  const cacheRoot = join(ROOT, 'node_modules', '.cache');
  const dir = join(cacheRoot, `sparticuz-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    mkdirSync(cacheRoot, { recursive: true });
    const staging = mkdtempSync(join(cacheRoot, 'sparticuz-chromium-tmp-'));
    // The package unpacks into os.tmpdir() (shared /tmp, no locking) and only unpacks its lib bundle on
    // Amazon Linux: run it in a child whose TMPDIR is our staging folder and which claims to be on Lambda.
    const run = spawnSync(
      process.execPath,
      ['-e', "require('@sparticuz/chromium').executablePath().then((p) => process.stdout.write(p))"],
      {
        cwd: pkgDir,
        env: { ...process.env, TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    if (run.status !== 0 || !existsSync(join(staging, 'chromium'))) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`unpacking @sparticuz/chromium failed (status ${run.status}): ${run.stderr}`);
    }
    writeFileSync(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, dir);
    } catch (e) {
      // Another worker finished first: use its copy.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(dir, 'chromium'))) throw e;
    }
  }
  return {
    source: '@sparticuz/chromium',
    executablePath: join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  chromium: ResolvedChromium;
  close: () => Promise<void>;
}

/** A headless persistent context on a throwaway profile; `close` also removes the profile. */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<LaunchedBrowser> {
  const resolved = resolveChromium();
  const profile = mkdtempSync(join(tmpdir(), 'bdp-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: resolved.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      ...(resolved.env ? { env: { ...process.env, ...resolved.env } } : {}),
    });
    return {
      context,
      chromium: resolved,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`launching Chromium (${resolved.source}: ${resolved.executablePath}) failed: ${e}`);
  }
}
