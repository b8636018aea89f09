import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ManifestUtil, type TeamsAppManifest } from '@microsoft/app-manifest';
import { parseBdpCommand } from '../../../bot/core';
import {
  buildTeamsPackage,
  MANIFEST_DIR,
  officialSchema,
  renderManifest,
} from '../../../bot/teams/manifest/package';
import { crc32, pngSize } from '../../../bot/teams/manifest/png';
import { DEFAULT_SERVICES } from '../../../providers/config';

const APP_ID = '6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b';

/** Reads a zip's central directory back: name → inflated bytes (checks each CRC). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const crc = zip.readUInt32LE(p + 16);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataAt, dataAt + size));
    if (crc32(data) !== crc) throw new Error(`bad CRC for ${name}`);
    files.set(name, data);
    p += 46 + nameLen;
  }
  return files;
}

test('the package holds the manifest with the app id filled in and both icons at their sizes', async () => {
  const { zip, manifest } = await buildTeamsPackage(APP_ID);
  const files = unzip(zip);
  expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const m = JSON.parse(files.get('manifest.json')!.toString('utf8'));
  expect(m.id).toBe(APP_ID);
  expect(m.bots[0].botId).toBe(APP_ID);
  expect(JSON.stringify(m)).not.toContain('{{');
  expect(manifest.bots?.[0]?.commandLists?.[0]?.commands.map((c) => c.title)).toEqual([
    'analyze',
    'status',
    'history',
    'help',
  ]);
  expect(pngSize(files.get('color.png')!)).toEqual({ width: 192, height: 192 });
  expect(pngSize(files.get('outline.png')!)).toEqual({ width: 32, height: 32 });
});

test('every command in the manifest is one the bot understands', async () => {
  const m = await renderManifest(APP_ID);
  for (const c of m.bots![0]!.commandLists![0]!.commands) {
    const words =
      c.title === 'analyze' || c.title === 'history' ? `${c.title} ${DEFAULT_SERVICES[0]!.name}` : c.title;
    const parsed = parseBdpCommand(words, DEFAULT_SERVICES);
    expect(parsed).toMatchObject({ ok: true, command: { verb: c.title } });
    expect(parsed.ok && parsed.command.verb === 'help' && parsed.command.unknown).toBeFalsy();
  }
});

test('packaging without an app id, or with a broken icon, fails with a message naming the problem', async () => {
  await expect(buildTeamsPackage('')).rejects.toThrow('MicrosoftAppId=(unset)');
  await expect(buildTeamsPackage('not-a-guid')).rejects.toThrow(
    /MicrosoftAppId="not-a-guid" — expected .* GUID/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'teams-manifest-'));
  writeFileSync(join(dir, 'manifest.json'), readFileSync(join(MANIFEST_DIR, 'manifest.json')));
  writeFileSync(join(dir, 'color.png'), readFileSync(join(MANIFEST_DIR, 'outline.png')));
  writeFileSync(join(dir, 'outline.png'), readFileSync(join(MANIFEST_DIR, 'outline.png')));
  await expect(buildTeamsPackage(APP_ID, dir)).rejects.toThrow(
    'color.png: expected a 192×192 PNG, found 32×32',
  );
});

// A manifest as plain JSON, for spoiling one field at a time.
type Spoilable = {
  name: { short: string };
  permissions: string[];
  bots: Array<{ botId: string; scopes: string[] }>;
  manifestVersion: string;
  [k: string]: unknown;
};

describe("Microsoft's official Teams manifest schema (bundled in @microsoft/app-manifest, offline)", () => {
  const source = () => JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8'));
  const filled = () =>
    JSON.parse(JSON.stringify(source()).replace(/\{\{MicrosoftAppId\}\}/g, APP_ID)) as TeamsAppManifest;

  test('our manifest validates against the schema of its manifestVersion, and only asks for what it uses', async () => {
    const m = filled();
    // The v1.17 schema pins manifestVersion to "1.17": the file matches the manifest's version.
    expect(
      (officialSchema(m) as unknown as { properties: { manifestVersion: { const: string } } }).properties
        .manifestVersion.const,
    ).toBe(m.manifestVersion);
    expect(await ManifestUtil.validateManifestAgainstSchema(m, officialSchema(m))).toEqual([]);
    // Nothing of ours messages team members: the permission is not asked for.
    expect(m.permissions).toEqual(['identity']);
  });

  test.each([
    ['a short name over 30 characters', (m: Spoilable) => (m.name.short = 'x'.repeat(31)), '/name/short'],
    ['an unknown permission', (m: Spoilable) => (m.permissions = ['readEverything']), '/permissions/0'],
    ['a bot id that is not a GUID', (m: Spoilable) => (m.bots[0].botId = 'bot'), '/bots/0/botId'],
    ['an unknown bot scope', (m: Spoilable) => (m.bots[0].scopes = ['everyone']), '/bots/0/scopes/0'],
    ['an unknown top-level field', (m: Spoilable) => (m.colour = '#fff'), 'additional'],
  ])('the schema refuses %s', async (_what, spoil, where) => {
    const m = filled() as unknown as Spoilable;
    spoil(m);
    const errors = await ManifestUtil.validateManifestAgainstSchema(
      m as unknown as TeamsAppManifest,
      officialSchema(m as unknown as TeamsAppManifest),
    );
    expect(errors.join('\n')).toContain(where);
    // The packager refuses the same manifest.
    const dir = mkdtempSync(join(tmpdir(), 'teams-manifest-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(renderManifest(APP_ID, dir)).rejects.toThrow(/does not match the Teams schema/);
  });

  test('a manifestVersion without a bundled schema is refused, never fetched', () => {
    expect(() => officialSchema({ manifestVersion: '1.99' })).toThrow(
      /no bundled Teams schema for manifestVersion 1.99/,
    );
    expect(() => officialSchema({ manifestVersion: '../../x' })).toThrow(/not a Teams schema version/);
  });
});
