import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { parse } from 'yaml';

/** Slack's app manifest type, as `apps.manifest.create` takes it (the public face of web-api's `Manifest`). */
export type SlackManifest = AppsManifestCreateArguments['manifest'];

export const MANIFEST_FILE = join(__dirname, 'manifest.yaml');

/**
 * What people paste into "Create New App → From an app manifest" (manifest.yaml, which keeps the
 * comments), typed: the object below must satisfy Slack's `Manifest`, and a test keeps the YAML equal
 * to it and both equal to what the Bolt app registers (test/unit/slack/manifest.test.ts).
 */
const URL = 'https://REPLACE-WITH-FUNCTION-URL.lambda-url.REGION.on.aws/slack/events';
export const SLACK_MANIFEST = {
  display_information: {
    name: 'BDP Agent',
    description: 'Incident cards, approvals and root-cause answers for the data platform.',
    background_color: '#1d3557',
  },
  features: {
    bot_user: { display_name: 'BDP', always_online: true },
    slash_commands: [
      {
        command: '/bdp',
        url: URL,
        description: 'analyze <service> · status · history <service> [n] · help',
        usage_hint: 'analyze payments-api',
        should_escape: false,
      },
    ],
  },
  oauth_config: {
    scopes: {
      bot: [
        'chat:write',
        'commands',
        'app_mentions:read',
        'channels:history',
        'groups:history',
        'usergroups:read',
      ],
    },
  },
  settings: {
    event_subscriptions: {
      request_url: URL,
      bot_events: ['app_mention', 'message.channels', 'message.groups'],
    },
    interactivity: { is_enabled: true, request_url: URL },
    org_deploy_enabled: false,
    socket_mode_enabled: false,
    token_rotation_enabled: false,
  },
} satisfies SlackManifest;

/** manifest.yaml as Slack reads it. */
export function readManifestYaml(file = MANIFEST_FILE): SlackManifest {
  return parse(readFileSync(file, 'utf8')) as SlackManifest;
}
