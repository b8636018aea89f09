// `npm run teams:package -- [out.zip]` (`--help`): fills the bot's app id into manifest.json, checks the manifest and
// icons against Teams' limits, and zips them for upload (Teams admin centre or "Upload a custom app").
// `--icons` redraws color.png (192×192) and outline.png (32×32).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { parseCli } from '../../../providers/cli';
import { ConfigError, loadConfig } from '../../../providers/config';
import { drawIcon, pngSize } from './png';
import { zipFiles } from './zip';

export const MANIFEST_DIR = __dirname;
export const DEFAULT_PACKAGE = 'dist/teams/bdp-agent-teams.zip';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const https = z.url({ protocol: /^https$/, message: 'an https URL' });

/** The manifest fields Teams checks on upload, with its documented length limits. */
export const TeamsManifest = z.object({
  manifestVersion: z.string(),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version such as 1.0.0'),
  id: z.string().regex(GUID, 'a GUID'),
  developer: z.object({
    name: z.string().min(1).max(32),
    websiteUrl: https,
    privacyUrl: https,
    termsOfUseUrl: https,
  }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.string(), outline: z.string() }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  bots: z
    .array(
      z.object({
        botId: z.string().regex(GUID, 'a GUID (the Azure Bot app id)'),
        scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
        commandLists: z
          .array(
            z.object({
              scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
              commands: z
                .array(
                  z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) }),
                )
                .max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
});
export type TeamsManifest = z.infer<typeof TeamsManifest>;

/** The app manifest with the bot's app id filled in, validated. */
export function renderManifest(appId: string, dir = MANIFEST_DIR): TeamsManifest {
  if (!GUID.test(appId))
    throw new Error(
      `MicrosoftAppId=${appId ? JSON.stringify(appId) : '(unset)'} — expected the Azure Bot's app id (a GUID) to package the Teams app`,
    );
  const text = readFileSync(join(dir, 'manifest.json'), 'utf8').replace(/\{\{MicrosoftAppId\}\}/g, appId);
  const parsed = TeamsManifest.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`manifest.json: ${i.path.join('.')} — ${i.message}`);
  }
  return parsed.data;
}

function icon(dir: string, file: string, size: number): Buffer {
  const data = readFileSync(join(dir, file));
  const s = pngSize(data);
  if (!s || s.width !== size || s.height !== size)
    throw new Error(`${file}: expected a ${size}×${size} PNG${s ? `, found ${s.width}×${s.height}` : ''}`);
  return data;
}

/** The upload package: manifest.json and the two icons at the top level of a zip. */
export function buildTeamsPackage(
  appId: string,
  dir = MANIFEST_DIR,
): { zip: Buffer; manifest: TeamsManifest } {
  const manifest = renderManifest(appId, dir);
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
  try {
    if (values.icons) {
      writeIcons();
      console.log(`Icons written to ${MANIFEST_DIR}`);
    } else {
      const { MicrosoftAppId } = loadConfig();
      const out = resolve(positionals[0] ?? DEFAULT_PACKAGE);
      const { zip, manifest } = buildTeamsPackage(MicrosoftAppId);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, zip);
      console.log(`Teams app package for bot ${manifest.bots[0]?.botId}: ${out} (${zip.length} bytes)`);
    }
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : `teams:package failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
