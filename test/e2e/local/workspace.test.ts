import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, OUTPUT, type RunningWorkspace, startWorkspaceProcess } from './harness';

/**
 * `npm start` end to end, in Chromium: the simulated platform's first fault (a queue backlog the
 * runbook fixes with approval) becomes a card; a non-approver is refused; the approver's click
 * executes the scale-out, the platform recovers and the card says resolved; the card's thread
 * answers a question; `/bdp analyze` posts a card and `/bdp nonsense` shows the usage.
 */
jest.setTimeout(180_000);

const APPROVER = 'U0APPROVER';
const VIEWER = 'U0VIEWER';

let ws: RunningWorkspace;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  // Keep whatever started even if the other half fails, so afterAll can stop it.
  const [w, b] = await Promise.allSettled([
    startWorkspaceProcess(['--speed', '60', '--scenario', 'default'], 150_000),
    launchBrowser(),
  ]);
  if (w.status === 'fulfilled') ws = w.value;
  if (b.status === 'fulfilled') browser = b.value;
  if (w.status === 'rejected') throw w.reason;
  if (b.status === 'rejected') throw b.reason;
  page = await browser.context.newPage();
  await page.goto(ws.url);
});

afterAll(async () => {
  if (page) await page.screenshot({ path: join(OUTPUT, 'workspace-e2e-final.png') }).catch(() => undefined);
  await browser?.close();
  if (ws && ws.child.exitCode === null) {
    ws.child.kill('SIGINT');
    await ws.exited;
  }
});

const channelMessages = () => page.locator('.messages [data-testid="message"]');
const approvalCard = () =>
  channelMessages()
    .filter({ has: page.locator('[data-testid="button"][data-action-id="bdp_approve"]') })
    .first();
const privateNotes = () => page.locator('.messages [data-testid="message"][data-ephemeral="true"]');

async function switchUser(id: string): Promise<void> {
  await page.getByTestId('user-switch').selectOption(id);
  await page.locator(`body[data-user="${id}"]`).waitFor({ timeout: 15_000 });
}

async function clickAndConfirm(card: Locator, actionId: string): Promise<void> {
  await card.locator(`[data-testid="button"][data-action-id="${actionId}"]`).click();
  await page.getByTestId('confirm-yes').click();
}

async function send(composer: Locator, text: string): Promise<void> {
  await composer.fill(text);
  await composer.press('Enter');
}

test('the first incident card appears with Approve and Reject', async () => {
  await approvalCard().waitFor({ timeout: 90_000 });
  const card = approvalCard();
  await expectText(card, /stream-consumer/);
  await expectText(card, /Waiting for approval/);
  await card.locator('[data-action-id="bdp_reject"]').waitFor();
  await page.screenshot({ path: join(OUTPUT, 'workspace-e2e-card.png') });
});

test('a non-approver who clicks Approve is refused, privately', async () => {
  await switchUser(VIEWER);
  const card = approvalCard();
  const ts = await card.getAttribute('data-ts');
  await clickAndConfirm(card, 'bdp_approve');
  await privateNotes().filter({ hasText: 'not an approver' }).first().waitFor({ timeout: 20_000 });
  // Still waiting: the refusal decided nothing.
  await expectText(
    page.locator(`.messages [data-testid="message"][data-ts="${ts}"]`),
    /Waiting for approval/,
  );
  // The approver does not see Ben's private note.
  await switchUser(APPROVER);
  expect(await privateNotes().filter({ hasText: 'not an approver' }).count()).toBe(0);
});

test('the approver approves: the card shows approved, then resolved once the platform recovers', async () => {
  const card = approvalCard();
  const ts = (await card.getAttribute('data-ts'))!;
  await clickAndConfirm(card, 'bdp_approve');
  const same = page.locator(`.messages [data-testid="message"][data-ts="${ts}"]`);
  await privateNotes().filter({ hasText: 'You approved' }).first().waitFor({ timeout: 20_000 });
  await expectText(same, /Approved|Executed|Verifying|Resolved/, 30_000);
  await expectText(same, /Resolved/, 60_000);
  await page.screenshot({ path: join(OUTPUT, 'workspace-e2e-resolved.png') });
});

test('a question in the card thread gets the agent answer there', async () => {
  const card = channelMessages().filter({ hasText: 'stream-consumer' }).first();
  await card.getByTestId('open-thread').click();
  const thread = page.getByTestId('thread');
  await thread.waitFor();
  await send(thread.getByTestId('thread-composer'), 'what changed before this started?');
  const replies = thread.locator('[data-testid="message"][data-bot="true"]');
  await until(
    async () => (await replies.allInnerTexts()).some((t) => /chang/i.test(t) && !/Thinking/.test(t)),
    60_000,
    'an answer about changes in the thread',
  );
  await page.getByTestId('close-thread').click();
});

test('/bdp analyze <service> posts a card; /bdp nonsense shows the usage', async () => {
  const before = await channelMessages().filter({ hasText: 'orders-db' }).count();
  await send(page.getByTestId('composer'), '/bdp analyze orders-db');
  await privateNotes().filter({ hasText: 'Analysing orders-db' }).first().waitFor({ timeout: 20_000 });
  await until(
    async () => (await channelMessages().filter({ hasText: 'orders-db' }).count()) > before,
    60_000,
    'a card for orders-db',
  );

  await send(page.getByTestId('composer'), '/bdp nonsense');
  const usage = privateNotes().filter({ hasText: 'Usage' }).last();
  await usage.waitFor({ timeout: 20_000 });
  await expectText(usage, /\/bdp analyze/);
  await page.screenshot({ path: join(OUTPUT, 'workspace-e2e-channel.png') });
});

test('text is shown as text: markup typed by a person is not HTML, mrkdwn still formats', async () => {
  await send(page.getByTestId('composer'), '<img src=x onerror="window.__xss=1"> <b>raw</b> *bold* `code`');
  const mine = channelMessages().filter({ hasText: '<b>raw</b>' }).last();
  await mine.waitFor({ timeout: 15_000 });
  expect(await mine.locator('img').count()).toBe(0);
  expect(await mine.locator('.msg-body b').allInnerTexts()).toEqual(['bold']);
  expect(await mine.locator('.msg-body code').allInnerTexts()).toEqual(['code']);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test('Ctrl-C stops the workspace cleanly', async () => {
  ws.child.kill('SIGINT');
  expect(await ws.exited).toBe(0);
  expect(ws.output()).toMatch(/stopped \(SIGINT\)/);
});

/** Polls until `check` holds; fails naming what was awaited. */
async function until(check: () => Promise<boolean>, timeout: number, what: string): Promise<void> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}

async function expectText(loc: Locator, re: RegExp, timeout = 15_000): Promise<void> {
  await until(async () => re.test(await loc.innerText().catch(() => '')), timeout, `text ${re}`);
}
