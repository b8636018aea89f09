// `npm run teams:package -- [out.zip]` (`--help`): fills the bot's app id into manifest.json, checks the manifest against
// Microsoft's official schema (offline) and the icons' sizes, and zips them for upload (Teams admin centre or "Upload a custom app").
// `--icons` redraws color.png (192×192) and outline.png (32×32).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  ManifestUtil,
  type TeamsAppManifest,
  type TeamsAppManifestJSONSchema,
} from '@microsoft/app-manifest';
import * as z from 'zod';
import { parseCli } from '../../../providers/cli';
import { ConfigError, loadConfig } from '../../../providers/config';
import { drawIcon, pngSize } from './png';
import { zipFiles } from './zip';

export const MANIFEST_DIR = __dirname;
export const DEFAULT_PACKAGE = 'dist/teams/bdp-agent-teams.zip';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The app manifest with the bot's app id filled in, validated offline against Microsoft's official
 * schema for its `manifestVersion` (the copy shipped in `@microsoft/app-manifest`; its URL is never
 * fetched). The whole manifest is kept as written: nothing is dropped on the way to the package.
 */
export async function renderManifest(appId: string, dir = MANIFEST_DIR): Promise<TeamsAppManifest> {
  if (!GUID.test(appId))
    throw new Error(
      `MicrosoftAppId=${appId ? JSON.stringify(appId) : '(unset)'} — expected the Azure Bot's app id (a GUID) to package the Teams app`,
    );
  const text = readFileSync(join(dir, 'manifest.json'), 'utf8').replace(/\{\{MicrosoftAppId\}\}/g, appId);
  const manifest = JSON.parse(text) as TeamsAppManifest;
  const errors = await ManifestUtil.validateManifestAgainstSchema(manifest, officialSchema(manifest));
  if (errors.length) throw new Error(`manifest.json does not match the Teams schema: ${errors.join('; ')}`);
  return manifest;
}

/** The bundled official JSON schema of the manifest's version (v1.xx), never the URL in `$schema`. */
export function officialSchema(manifest: { manifestVersion?: string }): TeamsAppManifestJSONSchema {
  const v = String(manifest.manifestVersion ?? '');
  if (!/^1\.\d+$/.test(v))
    throw new Error(`manifest.json: manifestVersion "${v}" is not a Teams schema version`);
  const pkg = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(pkg, 'build', 'json-schemas', 'teams', `v${v}`, 'MicrosoftTeams.schema.json');
  if (!existsSync(file)) throw new Error(`manifest.json: no bundled Teams schema for manifestVersion ${v}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function icon(dir: string, file: string, size: number): Buffer {
  const data = readFileSync(join(dir, file));
  const s = pngSize(data);
  if (!s || s.width !== size || s.height !== size)
    throw new Error(`${file}: expected a ${size}×${size} PNG${s ? `, found ${s.width}×${s.height}` : ''}`);
  return data;
}

/** The upload package: manifest.json and the two icons at the top level of a zip. */
export async function buildTeamsPackage(
  appId: string,
  dir = MANIFEST_DIR,
): Promise<{ zip: Buffer; manifest: TeamsAppManifest }> {
  const manifest = await renderManifest(appId, dir);
  const zip = zipFiles([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: manifest.icons.color, data: icon(dir, manifest.icons.color, 192) },
    { name: manifest.icons.outline, data: icon(dir, manifest.icons.outline, 32) },
  ]);
  return { zip, manifest };
}

export function writeIcons(dir = MANIFEST_DIR): void {
  writeFileSync(join(dir, 'color.png'), drawIcon(192, false));
  writeFileSync(join(dir, 'outline.png'), drawIcon(32, true));
}

const USAGE = `usage: npm run teams:package -- [OUT.zip]
       npm run teams:package -- --icons

Fills the bot's app id (MicrosoftAppId, from the environment or .env) into manifest.json, checks the
manifest and icons, and zips them for upload (default ${DEFAULT_PACKAGE}).
  --icons  redraw color.png (192×192) and outline.png (32×32) instead
  --help   this text`;

if (require.main === module) {
  const { values, positionals } = parseCli({
    usage: USAGE,
    options: { icons: { type: 'boolean' } },
    positionals: { min: 0, max: 1, name: 'OUT.zip' },
  });
  (async () => {
    if (values.icons) {
      writeIcons();
      console.log(`Icons written to ${MANIFEST_DIR}`);
    } else {
      const { MicrosoftAppId } = loadConfig();
      const out = resolve(positionals[0] ?? DEFAULT_PACKAGE);
      const { zip, manifest } = await buildTeamsPackage(MicrosoftAppId);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, zip);
      console.log(`Teams app package for bot ${manifest.bots?.[0]?.botId}: ${out} (${zip.length} bytes)`);
    }
  })().catch((e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : `teams:package failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
