import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { type BotServices, createBotServices } from '../../../bot/core';
// The playground's default signed-in user (Alex Wilber) and the tenant its activities name.
import { PLAYGROUND_TENANT_ID, PLAYGROUND_USER_AAD } from '../../../bot/local/workspace';
import { type RunningTeamsServer, startTeamsServer } from '../../../bot/teams/server';
import { createApprovalService } from '../../../pipeline/approval/service';
import { setChatNotifier } from '../../../pipeline/notify';
import { createWorkflowStore } from '../../../pipeline/state';
import { createMockAwsProviders, type MockAwsProviders } from '../../../providers/aws';
import { loadConfig } from '../../../providers/config';
import { createRuntime } from '../../../providers/runtime';
import { incidentState } from '../../integration/slack/fixtures';
import { type LaunchedBrowser, launchChromium } from '../browser';
import { type RunningPlayground, startPlayground } from './playground';

const OUT = join(__dirname, '../../../test-output');

let aws: MockAwsProviders;
let bot: RunningTeamsServer;
let pg: RunningPlayground;
let launched: LaunchedBrowser | undefined;
let browser: BrowserContext;
const decisions: unknown[] = [];

beforeAll(async () => {
  const config = loadConfig({ TEAMS_APPROVERS: PLAYGROUND_USER_AAD, TEAMS_TENANT_ID: PLAYGROUND_TENANT_ID });
  aws = await createMockAwsProviders({ config });
  const rt = await createRuntime(config, { aws });
  // The workflow's part, in short: `analyze` finds an incident that needs approval, and the approval
  // request's notice reaches Teams through the worker like any other notice.
  const svc: BotServices = createBotServices(rt, {
    startAnalysis: async (service) => {
      const state = incidentState({ id: 'inc-e2e-payments-1' });
      await createWorkflowStore(rt).saveState(state);
      const token = aws.sfn.createTaskToken();
      void aws.sfn.waitForToken(token).then((o) => decisions.push(o));
      await createApprovalService(rt).request({ state, task_token: token });
      return {
        execution_arn: `arn:aws:states:us-east-1:000000000000:execution:bdp-main-workflow:${service}`,
      };
    },
  });
  bot = await startTeamsServer({
    rt,
    svc,
    port: 0,
    credentials: {
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
      MicrosoftAppTenantId: '',
      MicrosoftAppType: '',
    },
  });
  pg = await startPlayground(bot.url);
  launched = await launchChromium({ width: 1400, height: 1100 });
  browser = launched.context;
  // Only the playground and the bot on this machine: anything else the page asks for is refused here.
  await browser.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort('blockedbyclient');
  });
}, 120_000);

afterAll(async () => {
  await launched?.close();
  await pg?.stop();
  await bot?.stop();
  setChatNotifier(undefined);
  await aws?.close();
});

test('in the Agents Playground: analyze payments-api shows the incident card; Approve updates it', async () => {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(pg.url);
  const box = page.locator('[data-lexical-editor="true"][role="textbox"]').first();
  await box.waitFor({ timeout: 60_000 });
  // Opening the chat installs the app: the bot greets and keeps the conversation for its cards.
  await page
    .getByText('incident cards will be posted in this conversation')
    .first()
    .waitFor({ timeout: 30_000 });
  expect((await bot.conversations.getDefault())?.conversation.conversationType).toBe('personal');

  await box.click();
  await page.keyboard.type('analyze payments-api');
  await page.keyboard.press('Enter');
  await page.getByText('Analysing payments-api…').first().waitFor({ timeout: 30_000 });
  const card = page
    .locator('.ac-adaptiveCard')
    .filter({ hasText: 'payments-api — p95 latency above the anomaly band' });
  await card.getByText('Waiting for approval').waitFor({ timeout: 30_000 });
  await expect(card.getByText('Connection pool exhaustion after the 07:02 deploy').count()).resolves.toBe(1);
  await expect(card.getByRole('button', { name: 'Reject' }).count()).resolves.toBe(1);

  await card.getByRole('button', { name: 'Approve' }).click();
  await card
    .getByText(/Approved by Alex Wilber at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/)
    .waitFor({ timeout: 30_000 });
  await expect(card.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
  expect(decisions).toEqual([
    {
      status: 'success',
      output: { status: 'approved', decided_by: PLAYGROUND_USER_AAD, decided_at: expect.any(String) },
    },
  ]);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'teams-playground-approved.png'), fullPage: true });
}, 120_000);
