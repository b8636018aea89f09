import { createApprovalService } from '../../pipeline/approval';
import { detect } from '../../pipeline/detection';
import { createOutbox, OUTBOX_PENDING_PK, sweepChatOutbox } from '../../pipeline/notify/outbox';
import { executePlan } from '../../pipeline/remediation';
import { createWorkflowStore } from '../../pipeline/state/workflow-store';
import type { Runtime } from '../../providers/runtime';
import { incidentState } from '../integration/slack/fixtures';
import { type Harness, startHarness } from '../integration/slack/harness';
import { CHANNEL_CONV, startTeamsHarness, type TeamsHarness } from '../integration/teams/harness';
import { seedConnections } from '../unit/workflow/support';
import type { Fault, FaultOutcome } from './catalogue';
import { type FaultRuntime, faultRuntime, MAX_CONNECTIONS_PLAN, stateWithPlan } from './harness';

/**
 * Chat delivery and apply-type faults (issue 16): each is injected through the real code path and
 * must end with exactly one card per incident, nothing left unposted, and no action done twice.
 * `lost` counts what a person would miss (an incident with no card, a notice still pending);
 * `double_actions` counts duplicates (a second card, a second reboot, a second SendTask*).
 */
function result(
  injected: boolean,
  checks: Record<string, boolean>,
  lost: number,
  double_actions: number,
  detail: string,
): FaultOutcome {
  return {
    injected,
    survived: Object.values(checks).every(Boolean) && double_actions === 0,
    data_lost: lost > 0,
    lost,
    double_actions,
    checks: { ...checks, 'nothing lost': lost === 0, 'no double action': double_actions === 0 },
    detail,
  };
}

async function withSlack<T>(body: (h: Harness) => Promise<T>): Promise<T> {
  const h = await startHarness();
  try {
    return await body(h);
  } finally {
    await h.queue.idle();
    await new Promise((r) => setTimeout(r, 200));
    await h.close();
  }
}

const slackCards = (h: Harness, id: string) =>
  h.api.messages.filter((m) => !m.thread_ts && JSON.stringify(m.blocks ?? []).includes(id));

const pendingNotices = async (rt: Pick<Runtime, 'aws'>) =>
  (await rt.aws.dynamo.query('workflow_state', { partition_value: OUTBOX_PENDING_PK })).length;

/** Runs the scheduled sweep (as Detect does) and waits for the worker. */
async function sweep(h: { rt: Runtime; queue: { idle(): Promise<void> } }) {
  const r = await sweepChatOutbox(h.rt, { min_age_ms: 0 });
  await h.queue.idle();
  return r;
}

async function requestApproval(rt: Runtime, id: string, token: string) {
  const state = incidentState({ id });
  await createWorkflowStore(rt).saveState(state);
  return createApprovalService(rt).request({ state, task_token: token });
}

export const deliveryFaults: Fault[] = [
  {
    id: 'slack-post-5xx-then-recovers',
    area: 'slack',
    title: 'Slack answers 503 longer than every retry; the card is posted by the sweeper once Slack recovers',
    async run() {
      return withSlack(async (h) => {
        const id = 'inc-fault-slack-down';
        await requestApproval(h.rt, 'inc-warmup-slack-down', h.aws.sfn.createTaskToken());
        await h.queue.idle();
        // Far more 503s than the client's and the outbox's retries together: the job gives up.
        h.api.failNext(40, { status: 503 });
        await requestApproval(h.rt, id, h.aws.sfn.createTaskToken());
        await h.queue.idle();
        const duringOutage = slackCards(h, id).length;
        const pendingDuring = await pendingNotices(h.rt);
        // Slack is back (the injected faults are used up or cleared) and the schedule sweeps.
        (h.api as unknown as { faults: unknown[] }).faults = [];
        const swept = await sweep(h);
        const cards = slackCards(h, id).length;
        const ref = (await h.svc.store.getChatRefs(id)).find((r) => r.surface === 'slack');
        const left = await pendingNotices(h.rt);
        return result(
          h.queue.failed.length > 0 && duringOutage === 0,
          {
            'the failed notice stayed in the outbox': pendingDuring >= 1,
            'the sweeper posted it': swept.republished >= 1 && cards === 1,
            'the card is linked to the incident': Boolean(ref),
          },
          (cards === 0 ? 1 : 0) + left,
          Math.max(0, cards - 1),
          `worker gave up (${h.queue.failed.length} failed job(s)); ${pendingDuring} pending; sweep → ${swept.republished} re-sent, ${cards} card(s), ${left} still pending`,
        );
      });
    },
  },
  {
    id: 'chat-ref-write-lost',
    area: 'slack',
    title: 'The card is posted but writing its ref fails: it is found by its metadata, never posted twice',
    async run() {
      return withSlack(async (h) => {
        const id = 'inc-fault-ref-lost';
        await requestApproval(h.rt, 'inc-warmup-ref-lost', h.aws.sfn.createTaskToken());
        await h.queue.idle();
        const original = h.svc.store.addChatRef.bind(h.svc.store);
        let lost = 0;
        h.svc.store.addChatRef = async (incident_id, ref) => {
          if (incident_id === id && lost === 0) {
            lost++;
            throw new Error('ProvisionedThroughputExceeded writing the chat ref');
          }
          return original(incident_id, ref);
        };
        const token = h.aws.sfn.createTaskToken();
        await requestApproval(h.rt, id, token);
        await h.queue.idle();
        // A later notice (the approval expires, is decided, …) must update that card, not fail forever.
        await createApprovalService(h.rt).expire(id);
        await h.queue.idle();
        await sweep(h);
        const cards = slackCards(h, id);
        const ref = (await h.svc.store.getChatRefs(id)).find((r) => r.surface === 'slack');
        const history = h.api.calls.filter((c) => c.method === 'conversations.history').length;
        const updated = cards[0]?.edited !== undefined;
        const left = await pendingNotices(h.rt);
        return result(
          lost === 1,
          {
            'the card was found by its metadata': history >= 1 && ref?.message_id === cards[0]?.ts,
            'the later notice updated that card': updated,
          },
          (cards.length === 0 ? 1 : 0) + left,
          Math.max(0, cards.length - 1),
          `ref write lost once; ${history} history look-up(s); ${cards.length} card(s), updated ${updated}; ${left} pending`,
        );
      });
    },
  },
  {
    id: 'notice-lost-approval-retried',
    area: 'approval',
    title: 'RequestApproval fails before its notice is kept; the retry with the same token sends it',
    async run() {
      return withSlack(async (h) => {
        const id = 'inc-fault-notice-lost';
        const put = h.aws.dynamo.put.bind(h.aws.dynamo);
        let failed = 0;
        h.aws.dynamo.put = async (table, item, cond) => {
          if (item.item_type === 'outbox' && item.workflow_id === id && failed === 0) {
            failed++;
            throw new Error('InternalServerError writing the outbox item');
          }
          return put(table, item, cond);
        };
        const token = h.aws.sfn.createTaskToken();
        const first = await requestApproval(h.rt, id, token).then(
          () => 'ok',
          (e: Error) => e.message,
        );
        await h.queue.idle();
        const before = slackCards(h, id).length;
        // Step Functions retries the task with the same token.
        await requestApproval(h.rt, id, token);
        await h.queue.idle();
        const cards = slackCards(h, id).length;
        const stored = await createWorkflowStore(h.rt).getApproval(id);
        const left = await pendingNotices(h.rt);
        return result(
          failed === 1 && before === 0,
          {
            'the first attempt failed visibly': first !== 'ok',
            'the retry posted the card': cards === 1,
            'the request is pending with its token': stored?.status === 'pending',
          },
          (cards === 0 ? 1 : 0) + left,
          Math.max(0, cards - 1),
          `first attempt: ${first.slice(0, 60)}; after the retry ${cards} card(s), ${left} pending`,
        );
      });
    },
  },
  {
    id: 'teams-post-fails-then-recovers',
    area: 'slack',
    title: 'The Teams connector refuses new cards for longer than every retry; the sweeper posts it once',
    async run() {
      let h: TeamsHarness | undefined;
      try {
        h = await startTeamsHarness();
        await h.install();
        const id = 'inc-fault-teams-down';
        h.connector.failNextPosts(40, 503);
        await requestApproval(h.rt, id, h.aws.sfn.createTaskToken());
        await h.idle();
        const refused = h.connector.refusedPosts;
        const during = (await h.svc.store.getChatRefs(id)).some((r) => r.surface === 'teams');
        (h.connector as unknown as { postFaults: number[] }).postFaults = [];
        const swept = await sweep({ rt: h.rt, queue: { idle: () => h!.idle() } });
        // Cards are top-level posts in the channel (thread replies go to `…;messageid=…`).
        const cards = h.connector
          .posted(CHANNEL_CONV)
          .filter((c) => JSON.stringify(c.body).includes(id)).length;
        const ref = (await h.svc.store.getChatRefs(id)).find((r) => r.surface === 'teams');
        const left = await pendingNotices(h.rt);
        return result(
          refused > 0 && !during,
          { 'the sweeper posted the card': swept.republished >= 1 && Boolean(ref) && cards === 1 },
          (ref ? 0 : 1) + left,
          Math.max(0, cards - 1),
          `${refused} refused POST(s); sweep → ${swept.republished} re-sent; ${cards} card(s); ${left} pending`,
        );
      } finally {
        await h?.close();
      }
    },
  },
  {
    id: 'detect-retried-after-dedup',
    area: 'dynamodb',
    title:
      'Detect dies after its de-duplication writes and is retried: the same incidents, none lost, none twice',
    async run() {
      const rt: FaultRuntime = await faultRuntime();
      try {
        seedConnections(rt as never, 1000);
        const run_id = 'arn:aws:states:us-east-1:000000000000:execution:bdp-main-workflow:sched-1';
        // The first attempt writes the dedup items, then its answer is lost (timeout, crash).
        const first = await detect(rt, { run_id });
        rt.advance(20_000);
        // Step Functions retries the task with the same input: the same execution id.
        const retry = await detect(rt, { run_id });
        rt.advance(5 * 60_000);
        // The next scheduled run is a different execution: these are repeats now.
        const next = await detect(rt, { run_id: `${run_id}-next` });
        const ids = (o: { incidents: { incident_id: string }[] }) => o.incidents.map((i) => i.incident_id);
        const lost = ids(first).filter((id) => !ids(retry).includes(id)).length;
        return result(
          first.incidents.length > 0,
          {
            'the retry returns the same incidents': JSON.stringify(ids(retry)) === JSON.stringify(ids(first)),
            'the next run sees repeats': next.incidents.length === 0,
          },
          lost,
          next.incidents.length,
          `first ${ids(first).join(',')}; retry ${ids(retry).join(',')}; next run ${next.incidents.length} incident(s)`,
        );
      } finally {
        await rt.aws.close();
      }
    },
  },
  {
    id: 'static-parameter-needs-reboot',
    area: 'remediation',
    title: 'max_connections is static (Aurora): pending-reboot, and the reboot runs only when approved, once',
    async run() {
      const rt: FaultRuntime = await faultRuntime();
      try {
        const group = 'orders-db-params';
        const state = stateWithPlan('orders-db', MAX_CONNECTIONS_PLAN, 'inc-fault-static-0001');
        const set = await executePlan(rt, { state, execution_key: 'static#1', dry_run: false });
        const reboot = {
          action: 'rds_reboot',
          parameters: { cluster_id: 'orders-db' },
          risk: 'high',
          runbook_id: 'db-connection-exhaustion',
        };
        const auto = await executePlan(rt, {
          state: stateWithPlan('orders-db', reboot, 'inc-fault-static-0002'),
          execution_key: 'static#2',
          dry_run: false,
        });
        const approved = {
          ...stateWithPlan('orders-db', reboot, 'inc-fault-static-0003'),
          approval: { status: 'approved' as const, decided_by: 'U0APPROVER' },
        };
        const done = await executePlan(rt, { state: approved, execution_key: 'static#3', dry_run: false });
        // The workflow retries the same step (same execution key): it must not reboot again.
        const retry = await executePlan(rt, { state: approved, execution_key: 'static#3', dry_run: false });
        const reboots = rt.aws.rdsParams.reboots.length;
        const running = rt.aws.rdsParams.runningValue(group, 'max_connections');
        const rows = await rt.aws.dynamo.query('remediation_history', { partition_value: done.resource_id });
        return result(
          set.new_state?.apply_method === 'pending-reboot',
          {
            'the static change did not fail': set.status === 'executed',
            'no reboot without approval': auto.status === 'refused',
            'the approved reboot applied it': done.status === 'executed' && running === '200',
            'the retry returned the recorded result': retry.status === 'executed',
          },
          rows.length >= 1 ? 0 : 1,
          Math.max(0, reboots - 1),
          `set → ${set.status} (${set.new_state?.apply_method}); auto reboot → ${auto.status}; approved → ${done.status}; reboots ${reboots}; running max_connections ${running}`,
        );
      } finally {
        await rt.aws.close();
      }
    },
  },
];

/** Only for the outbox unit of work: what is still pending (used by tests). */
export const outboxPending = (rt: Pick<Runtime, 'aws' | 'now'>) =>
  createOutbox(rt.aws.dynamo, () => rt.now()).pending(new Date(rt.now().getTime() + 60_000));
