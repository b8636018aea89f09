import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, OUTPUT, type RunningWorkspace, startWorkspaceProcess } from './harness';

/**
 * `npm start` end to end, in Chromium: the simulated platform's first fault (a queue backlog the
 * runbook fixes with approval) becomes a card; a non-approver is refused; the approver's click
 * executes the scale-out, the platform recovers and the card says resolved and still names the
 * approver; five questions in the card's thread get five different answers with their evidence;
 * `/bdp analyze` posts a card, `/bdp status` lists every card needing a person, `/bdp nonsense`
 * shows the usage.
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

test('after Approve the executed and resolved card still names the approver; the page shows its simulated clock', async () => {
  const card = channelMessages().filter({ hasText: 'stream-consumer' }).first();
  await expectText(card, /Resolved/);
  await expectText(card, /Approved by @ana at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await expectText(page.getByTestId('sim-clock'), /Simulated time \d\d:\d\d UTC · 60× real speed/);
});

test('five different questions in one thread get five different, relevant answers, sources by name', async () => {
  const card = channelMessages().filter({ hasText: 'stream-consumer' }).first();
  await card.hover();
  await card.getByTestId('open-thread').click();
  const thread = page.getByTestId('thread');
  await thread.waitFor();
  const replies = thread.locator('[data-testid="message"][data-bot="true"]');
  const asked: [string, RegExp][] = [
    [
      'What do the logs show?',
      /^Logs: (the most frequent lines are \d+× \w+ .+ first at \d\d:\d\d UTC|no warnings)/m,
    ],
    [
      'Did anything get deployed or changed recently?',
      /Changes in the last 24 h: remediation of .*stream-consumer at \d\d:\d\d UTC/,
    ],
    ['Has this happened before?', /^History: /m],
    ['How do I undo the scale-out?', /^Undo: auto_scaling ran at \d\d:\d\d UTC; press Rollback/m],
    ['Is it still happening?', /^Right now stream-consumer (is still affected|looks recovered)/m],
  ];
  const answers: string[] = [];
  for (const [question, relevant] of asked) {
    const before = await replies.count();
    await send(thread.getByTestId('thread-composer'), question);
    let answer = '';
    await until(
      async () => {
        const all = await replies.allInnerTexts();
        answer = all.length > before ? all[all.length - 1]! : '';
        return answer !== '' && !/Thinking/.test(answer);
      },
      60_000,
      `an answer to "${question}"`,
    );
    expect(answer).toMatch(relevant);
    // Sources read as names with time ranges; never internal ids.
    expect(answer).not.toMatch(/call_\d|tool_call_id/);
    expect(answer).toMatch(
      /\((unified logs|change history|incident history|CloudWatch metrics)[^)]*\)|^Undo: /m,
    );
    answers.push(answer.replace(/^[\s\S]*?UTC(\s*\(edited\))?\s*/, ''));
    // The newest reply is in view inside the thread pane; the page itself never scrolls.
    const box = await replies.last().boundingBox();
    expect(box && box.y < 900 && box.y + Math.min(box.height, 200) > 0).toBe(true);
  }
  expect(new Set(answers).size).toBe(asked.length);
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
  const header = await page.locator('.channel-header').boundingBox();
  expect(header?.y).toBe(0);
  await page.screenshot({ path: join(OUTPUT, 'workspace-e2e-thread.png') });
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

  // Every card that says it needs a person is in /bdp status (asked again while the workflow saves the state).
  let status = privateNotes().last();
  let statusText = '';
  await until(
    async () => {
      const before = await privateNotes().count();
      await send(page.getByTestId('composer'), '/bdp status');
      await until(async () => (await privateNotes().count()) > before, 20_000, 'the /bdp status reply');
      status = privateNotes().last();
      statusText = await status.innerText();
      const escalated = await channelMessages()
        .filter({ hasText: /Escalated/ })
        .allInnerTexts();
      return escalated.every((c) => {
        const service = /· ([a-z0-9-]+) — /.exec(c)?.[1];
        return new RegExp(`${service} — (escalated|approval expired)`).test(statusText);
      });
    },
    45_000,
    'every escalated card in /bdp status',
  );
  expect(statusText).not.toMatch(/stream-consumer — resolved/);
  const link = status.locator('a[data-message-ts]').first();
  if ((await link.count()) > 0) {
    const ts = await link.getAttribute('data-message-ts');
    await link.click();
    await expect(page.locator(`.messages [data-ts="${ts}"]`).isVisible()).resolves.toBe(true);
  }

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
