import type { DynamoProvider, Item } from '../../providers/aws/types';
import {
  ApprovalRequest,
  type ApprovalStatus,
  ChatRef,
  IncidentState,
  type IncidentStatus,
  RemediationPlan,
} from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import {
  CHAT_PREFIX,
  CHATREF_PREFIX,
  deriveStatus,
  HistoryEntry,
  OPEN_STATUSES,
  SK_APPROVAL,
  SK_CHATREF,
  SK_STATE,
  ttlAfter,
  WORKFLOW_TTL_DAYS,
  WorkflowRecord,
} from './items';

const T = 'workflow_state' as const;
// `timestamp`, `status`, `state`, `reason` are DynamoDB reserved words: always go through names.

/** The decided fields a transition writes. */
export interface ApprovalDecision {
  status: Exclude<ApprovalStatus, 'pending'>;
  decided_by?: string;
  reason?: string;
}

export type TransitionResult =
  | { ok: true; request: ApprovalRequest }
  | { ok: false; current: ApprovalRequest | undefined };

export interface WorkflowStore {
  /** Writes the incident's current state (status derived from it unless given). */
  saveState(
    state: IncidentState,
    opts?: { status?: IncidentStatus; execution_arn?: string },
  ): Promise<WorkflowRecord>;
  getState(incident_id: string): Promise<IncidentState | undefined>;
  getRecord(incident_id: string): Promise<WorkflowRecord | undefined>;
  /** Open incidents (incl. pending approvals), newest first. */
  listOpen(limit?: number): Promise<WorkflowRecord[]>;
  /** Every incident not resolved (open, waiting, escalated, failed, rejected, rolled back), newest first. */
  listUnresolved(limit?: number): Promise<WorkflowRecord[]>;
  addChatRef(incident_id: string, ref: ChatRef): Promise<void>;
  getChatRefs(incident_id: string): Promise<ChatRef[]>;
  /** Maps a card (e.g. a Slack thread's parent ts) back to its incident. */
  findIncidentByChatRef(
    surface: ChatRef['surface'],
    channel: string,
    message_id: string,
  ): Promise<string | undefined>;
  /** Stores a new pending approval. A retry with the same token returns the stored one (created false). */
  putApproval(request: ApprovalRequest): Promise<{ created: boolean; request: ApprovalRequest }>;
  getApproval(incident_id: string): Promise<ApprovalRequest | undefined>;
  /**
   * Moves `pending → decision.status` exactly once: a conditional write that also requires the
   * request not to have expired at `now` (expiry itself is exempt from that check).
   */
  transitionApproval(incident_id: string, decision: ApprovalDecision, now: Date): Promise<TransitionResult>;
  /** Undoes a decision whose follow-up (SendTask*) could not be delivered, if still ours. */
  revertApproval(incident_id: string, from: ApprovalDecision): Promise<boolean>;
  addHistory(incident_id: string, entry: HistoryEntry): Promise<void>;
  getHistory(incident_id: string): Promise<HistoryEntry[]>;
}

function parseRecord(item: Item): WorkflowRecord {
  const incident_id = String(item.workflow_id);
  try {
    return WorkflowRecord.parse({
      incident_id,
      service: item.service,
      status: item.status,
      state: JSON.parse(String(item.state_json)),
      created_at: item.created_at,
      updated_at: item.updated_at,
      execution_arn: item.execution_arn ?? undefined,
    });
  } catch (e) {
    throw new Error(`workflow_state: stored state of ${incident_id} is unreadable (${(e as Error).message})`);
  }
}

function parseApproval(item: Item): ApprovalRequest {
  try {
    return ApprovalRequest.parse({
      incident_id: item.workflow_id,
      task_token: item.task_token,
      plan: RemediationPlan.parse(JSON.parse(String(item.plan_json))),
      status: item.status,
      requested_at: item.requested_at,
      expires_at: item.approval_expires_at,
      decided_by: item.decided_by ?? undefined,
      decided_at: item.decided_at ?? undefined,
      reason: item.reason ?? undefined,
    });
  } catch (e) {
    throw new Error(
      `workflow_state: approval of ${String(item.workflow_id)} is unreadable (${(e as Error).message})`,
    );
  }
}

const chatSk = (r: ChatRef) => `${CHAT_PREFIX}${r.surface}#${r.channel}#${r.message_id}`;
const chatRefPk = (surface: string, channel: string, message_id: string) =>
  `${CHATREF_PREFIX}${surface}#${channel}#${message_id}`;

function withoutToken(r: ApprovalRequest): WorkflowRecord['approval'] {
  const { task_token: _hidden, ...rest } = r;
  return rest;
}

/** The workflow-state store on `rt.aws.dynamo` (table `workflow_state`). */
export function createWorkflowStore(rt: Pick<Runtime, 'aws' | 'now'>): WorkflowStore {
  const db: DynamoProvider = rt.aws.dynamo;
  const ttl = () => ttlAfter(rt.now(), WORKFLOW_TTL_DAYS);

  async function getApproval(incident_id: string): Promise<ApprovalRequest | undefined> {
    const item = await db.get(T, { workflow_id: incident_id, timestamp: SK_APPROVAL });
    return item ? parseApproval(item) : undefined;
  }

  async function getRecord(incident_id: string): Promise<WorkflowRecord | undefined> {
    const item = await db.get(T, { workflow_id: incident_id, timestamp: SK_STATE });
    if (!item) return undefined;
    const record = parseRecord(item);
    const approval = await getApproval(incident_id);
    return approval ? { ...record, approval: withoutToken(approval) } : record;
  }

  return {
    async saveState(state, opts = {}) {
      const parsed = IncidentState.parse(state);
      const now = rt.now().toISOString();
      const status = opts.status ?? deriveStatus(parsed);
      const names: Record<string, string> = {
        '#state': 'state_json',
        '#status': 'status',
        '#service': 'service',
        '#updated': 'updated_at',
        '#created': 'created_at',
        '#ttl': 'expires_at',
        '#open': 'is_open',
      };
      const values: Record<string, unknown> = {
        ':state': JSON.stringify(parsed),
        ':status': status,
        ':service': parsed.incident.service,
        ':now': now,
        ':ttl': ttl(),
        ':open': OPEN_STATUSES.has(status) ? 1 : 0,
      };
      let expression =
        'SET #state = :state, #status = :status, #service = :service, #updated = :now, #created = if_not_exists(#created, :now), #ttl = :ttl, #open = :open';
      if (opts.execution_arn) {
        names['#arn'] = 'execution_arn';
        values[':arn'] = opts.execution_arn;
        expression += ', #arn = :arn';
      }
      const r = await db.update(
        T,
        { workflow_id: parsed.incident.incident_id, timestamp: SK_STATE },
        { expression, names, values },
      );
      if (!r.ok || !r.attributes) {
        // An unconditional update cannot lose; re-read to be safe against providers without ALL_NEW.
        const again = await getRecord(parsed.incident.incident_id);
        if (!again) throw new Error(`workflow_state: saving ${parsed.incident.incident_id} did not persist`);
        return again;
      }
      return parseRecord(r.attributes);
    },

    async getState(incident_id) {
      return (await getRecord(incident_id))?.state;
    },

    getRecord,

    async listOpen(limit = 20) {
      const items = await db.scan(T, {
        expression: '#sk = :sk AND #open = :one',
        names: { '#sk': 'timestamp', '#open': 'is_open' },
        values: { ':sk': SK_STATE, ':one': 1 },
      });
      const records = items.map(parseRecord).sort((a, b) => b.updated_at.localeCompare(a.updated_at));
      const top = records.slice(0, Math.max(0, limit));
      return Promise.all(
        top.map(async (r) => {
          if (r.status !== 'awaiting_approval') return r;
          const a = await getApproval(r.incident_id);
          return a ? { ...r, approval: withoutToken(a) } : r;
        }),
      );
    },

    async listUnresolved(limit = 20) {
      const items = await db.scan(T, {
        expression: '#sk = :sk AND #status <> :resolved',
        names: { '#sk': 'timestamp', '#status': 'status' },
        values: { ':sk': SK_STATE, ':resolved': 'resolved' },
      });
      const records = items.map(parseRecord).sort((a, b) => b.created_at.localeCompare(a.created_at));
      return Promise.all(
        records.slice(0, Math.max(0, limit)).map(async (r) => {
          const a = await getApproval(r.incident_id);
          return a ? { ...r, approval: withoutToken(a) } : r;
        }),
      );
    },

    async addChatRef(incident_id, ref) {
      const r = ChatRef.parse(ref);
      const now = rt.now().toISOString();
      await db.put(T, {
        workflow_id: incident_id,
        timestamp: chatSk(r),
        ...r,
        added_at: now,
        expires_at: ttl(),
      });
      await db.put(T, {
        workflow_id: chatRefPk(r.surface, r.channel, r.message_id),
        timestamp: SK_CHATREF,
        incident_id,
        expires_at: ttl(),
      });
    },

    async getChatRefs(incident_id) {
      const items = await db.query(T, {
        partition_value: incident_id,
        sort: { op: 'begins_with', value: CHAT_PREFIX },
      });
      return items
        .sort((a, b) => String(a.added_at ?? '').localeCompare(String(b.added_at ?? '')))
        .map((i) => ChatRef.parse({ surface: i.surface, channel: i.channel, message_id: i.message_id }));
    },

    async findIncidentByChatRef(surface, channel, message_id) {
      const item = await db.get(T, {
        workflow_id: chatRefPk(surface, channel, message_id),
        timestamp: SK_CHATREF,
      });
      return item ? String(item.incident_id) : undefined;
    },

    async putApproval(request) {
      const r = ApprovalRequest.parse(request);
      const item: Item = {
        workflow_id: r.incident_id,
        timestamp: SK_APPROVAL,
        task_token: r.task_token,
        plan_json: JSON.stringify(r.plan),
        status: r.status,
        requested_at: r.requested_at,
        // `expires_at` is the table's TTL (epoch seconds); the request's own expiry is an ISO time.
        approval_expires_at: r.expires_at,
        expires_at: ttl(),
      };
      // A retried RequestApproval task (same token) must not reset a request someone already decided.
      const w = await db.put(T, item, {
        expression: 'attribute_not_exists(#pk) OR task_token <> :tok',
        names: { '#pk': 'workflow_id' },
        values: { ':tok': r.task_token },
      });
      if (w.ok) return { created: true, request: r };
      const existing = await getApproval(r.incident_id);
      if (!existing)
        throw new Error(`workflow_state: approval of ${r.incident_id} vanished while being stored`);
      return { created: false, request: existing };
    },

    getApproval,

    async transitionApproval(incident_id, decision, now) {
      const names: Record<string, string> = {
        '#pk': 'workflow_id',
        '#status': 'status',
        '#dat': 'decided_at',
      };
      const values: Record<string, unknown> = {
        ':pending': 'pending',
        ':new': decision.status,
        ':now': now.toISOString(),
      };
      let expression = 'SET #status = :new, #dat = :now';
      if (decision.decided_by) {
        names['#by'] = 'decided_by';
        values[':by'] = decision.decided_by;
        expression += ', #by = :by';
      }
      if (decision.reason) {
        names['#reason'] = 'reason';
        values[':reason'] = decision.reason;
        expression += ', #reason = :reason';
      }
      let condition = 'attribute_exists(#pk) AND #status = :pending';
      if (decision.status !== 'expired') {
        names['#exp'] = 'approval_expires_at';
        condition += ' AND #exp > :now';
      }
      const w = await db.update(
        T,
        { workflow_id: incident_id, timestamp: SK_APPROVAL },
        { expression, names, values },
        { expression: condition, names, values },
      );
      if (w.ok) {
        const request = w.attributes ? parseApproval(w.attributes) : await getApproval(incident_id);
        if (!request)
          throw new Error(`workflow_state: approval of ${incident_id} vanished after its decision`);
        return { ok: true, request };
      }
      return { ok: false, current: await getApproval(incident_id) };
    },

    async revertApproval(incident_id, from) {
      const w = await db.update(
        T,
        { workflow_id: incident_id, timestamp: SK_APPROVAL },
        {
          expression: 'SET #status = :pending REMOVE #by, #dat, #reason',
          names: { '#status': 'status', '#by': 'decided_by', '#dat': 'decided_at', '#reason': 'reason' },
          values: { ':pending': 'pending' },
        },
        {
          expression: '#status = :from AND #by = :by',
          names: { '#status': 'status', '#by': 'decided_by' },
          values: { ':from': from.status, ':by': from.decided_by ?? '', ':pending': 'pending' },
        },
      );
      return w.ok;
    },

    async addHistory(incident_id, entry) {
      const e = HistoryEntry.parse(entry);
      // A random suffix keeps two entries in the same millisecond apart.
      const sk = `${e.at}#${Math.random().toString(36).slice(2, 8)}`;
      await db.put(T, { workflow_id: incident_id, timestamp: sk, ...e, expires_at: ttl() });
    },

    async getHistory(incident_id) {
      // History sort keys are ISO times ("2026-…"); the fixed keys (STATE, APPROVAL, CHAT#…) are letters.
      const items = await db.query(T, {
        partition_value: incident_id,
        sort: { op: 'begins_with', value: '2' },
      });
      return items.map((i) =>
        HistoryEntry.parse({
          at: i.at,
          event: i.event,
          actor: i.actor ?? undefined,
          detail: i.detail ?? undefined,
        }),
      );
    },
  };
}
