import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Receiver } from '@slack/bolt';
import type { BotServices } from '../../../bot/core';
import { createSlackApp } from '../../../bot/slack/app';
import { MANIFEST_FILE, readManifestYaml, SLACK_MANIFEST } from '../../../bot/slack/manifest';
import type { JobQueue } from '../../../bot/worker/queue';
import { loadConfig } from '../../../providers/config';

/**
 * The Slack manifest asks for exactly what the code uses: the slash commands, events and
 * interactivity the Bolt app registers, and the scopes of those events and of the Web API methods
 * production code calls. manifest.yaml (what people paste) equals the typed manifest.
 */
const SLACK_DIR = join(__dirname, '../../../bot/slack');

/** Scope each Web API method needs (https://docs.slack.dev/reference/methods); views.open needs none. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'views.open': [],
  'usergroups.users.list': ['usergroups:read'],
  // The outbox finds a posted card whose ref was lost by its metadata (channels and private channels).
  'conversations.history': ['channels:history', 'groups:history'],
};
/** Events a listener receives → the subscriptions and scopes they need (a bot in channels and private channels). */
const EVENT_NEEDS: Record<string, { events: string[]; scopes: string[] }> = {
  message: { events: ['message.channels', 'message.groups'], scopes: ['channels:history', 'groups:history'] },
  app_mention: { events: ['app_mention'], scopes: ['app_mentions:read'] },
};

/** What createSlackApp registers on Bolt, recorded through Bolt's public listener methods. */
function registrations() {
  const seen = {
    commands: [] as string[],
    events: [] as string[],
    actions: [] as unknown[],
    views: [] as unknown[],
  };
  const spies = [
    jest.spyOn(App.prototype, 'command').mockImplementation(function (this: App, name: unknown) {
      seen.commands.push(String(name));
      return this as never;
    } as never),
    jest.spyOn(App.prototype, 'event').mockImplementation(function (this: App, name: unknown) {
      seen.events.push(String(name));
      return this as never;
    } as never),
    jest.spyOn(App.prototype, 'action').mockImplementation(function (this: App, id: unknown) {
      seen.actions.push(id);
      return this as never;
    } as never),
    jest.spyOn(App.prototype, 'view').mockImplementation(function (this: App, id: unknown) {
      seen.views.push(id);
      return this as never;
    } as never),
    // Listeners the manifest would have to declare too (shortcuts, message listeners, options).
    jest.spyOn(App.prototype, 'shortcut'),
    jest.spyOn(App.prototype, 'message'),
    jest.spyOn(App.prototype, 'options'),
  ];
  const receiver: Receiver = {
    init: () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
  };
  const svc = { rt: { config: loadConfig({}), services: [] } } as unknown as BotServices;
  const queue = { enqueue: async () => undefined } as unknown as JobQueue;
  try {
    createSlackApp({
      svc,
      queue,
      receiver,
      credentials: { signing_secret: 'secret', bot_token: 'xoxb-test' } as never,
      bot: { bot_id: 'B0', bot_user_id: 'U0BOT' },
    });
    const [, , , , shortcut, message, options] = spies;
    return {
      ...seen,
      others: shortcut!.mock.calls.length + message!.mock.calls.length + options!.mock.calls.length,
    };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

/** `client.<family>.<method>(` calls in the Slack surface's production code. */
function webApiMethodsUsed(): string[] {
  const found = new Set<string>();
  for (const f of readdirSync(SLACK_DIR).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(SLACK_DIR, f), 'utf8').matchAll(
      /\bclient\.((?:[a-z]+\.)+[a-zA-Z]+)\(/g,
    ))
      found.add(m[1]!);
  }
  return [...found].sort();
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('the Slack app manifest', () => {
  const reg = registrations();

  test('manifest.yaml is the typed manifest (no drift between what people paste and what is checked)', () => {
    expect(readManifestYaml()).toEqual(SLACK_MANIFEST);
    expect(readManifestYaml(MANIFEST_FILE).display_information.name.length).toBeLessThanOrEqual(35);
  });

  test('slash commands are exactly the commands the app registers', () => {
    expect(reg.commands).toEqual(['/bdp']);
    expect(sorted(SLACK_MANIFEST.features.slash_commands.map((c) => c.command))).toEqual(
      sorted(reg.commands),
    );
  });

  test('bot events are exactly what the event listeners need', () => {
    expect(reg.others).toBe(0);
    for (const e of reg.events) expect(Object.keys(EVENT_NEEDS)).toContain(e);
    expect(sorted(SLACK_MANIFEST.settings.event_subscriptions.bot_events)).toEqual(
      sorted(reg.events.flatMap((e) => EVENT_NEEDS[e]!.events)),
    );
  });

  test('interactivity is on because the app listens to button actions and a modal', () => {
    expect(reg.actions.length).toBeGreaterThan(0);
    expect(reg.views.length).toBeGreaterThan(0);
    expect(SLACK_MANIFEST.settings.interactivity.is_enabled).toBe(true);
  });

  test('scopes are exactly those of the registered listeners and the Web API methods production calls', () => {
    const methods = webApiMethodsUsed();
    expect(methods.length).toBeGreaterThan(0);
    const unknown = methods.filter((m) => !(m in METHOD_SCOPES));
    expect(unknown).toEqual([]); // a new method: add its scope here and to the manifest
    const needed = [
      ...(reg.commands.length ? ['commands'] : []),
      ...reg.events.flatMap((e) => EVENT_NEEDS[e]!.scopes),
      ...methods.flatMap((m) => METHOD_SCOPES[m]!),
    ];
    expect(sorted(SLACK_MANIFEST.oauth_config.scopes.bot)).toEqual(sorted(needed));
    expect(SLACK_MANIFEST.oauth_config.scopes.bot).not.toContain('users:read');
  });
});
