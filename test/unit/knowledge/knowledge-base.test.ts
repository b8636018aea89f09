import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clearKnowledgeBaseCache,
  coversService,
  KnowledgeBase,
  knowledgeBaseFor,
  loadKnowledgeBase,
  parseRunbook,
  type Runbook,
  RunbookError,
  runbookDigest,
} from '../../../agent/knowledge';
import type { AwsProviders, ObjectStoreProvider } from '../../../providers/aws/types';
import { DEFAULT_SERVICES, loadConfig } from '../../../providers/config';
import type { RemediationPlan } from '../../../providers/domain';
import { checkPlan, loadPolicy } from '../../../providers/policy';

const KB_DIR = join(__dirname, '../../../knowledge-base');
const RUNBOOK_DIR = join(KB_DIR, 'runbooks');

let kb: KnowledgeBase;
beforeAll(async () => {
  clearKnowledgeBaseCache();
  kb = await loadKnowledgeBase({ dir: KB_DIR });
});

/** A tiny in-memory S3: the interface the real provider implements. */
class FakeObjectStore implements ObjectStoreProvider {
  readonly reads: string[] = [];
  constructor(
    private readonly objects: Map<string, string>,
    private readonly failKey?: string,
  ) {}
  async list(bucket: string, prefix: string): Promise<string[]> {
    if (bucket !== 'kb-bucket') throw new Error(`NoSuchBucket: ${bucket}`);
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).reverse();
  }
  async getText(_bucket: string, key: string): Promise<string> {
    this.reads.push(key);
    if (key === this.failKey) throw new Error('AccessDenied');
    const text = this.objects.get(key);
    if (text === undefined) throw new Error(`NoSuchKey: ${key}`);
    return text;
  }
}

async function folderAsObjects(prefix: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  m.set(`${prefix}README.md`, await readFile(join(KB_DIR, 'README.md'), 'utf8'));
  for (const f of await readdir(RUNBOOK_DIR))
    m.set(`${prefix}runbooks/${f}`, await readFile(join(RUNBOOK_DIR, f), 'utf8'));
  return m;
}

async function tempKb(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kb-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const minimal = (id: string, extra = '') => `---
id: ${id}
title: Minimal runbook ${id}
services: [lambda]
symptoms: [something odd]
patterns: [OddSignal]
logs:
  - id: odd
    phrases: [OddSignal, odd signal seen]
${extra || 'allowed_actions: []\nescalate: true'}
---

# Body

Some text.
`;

describe('the runbooks in knowledge-base/', () => {
  it('all parse, at least 10, ids match file names, each body has the SRE sections', async () => {
    const files = (await readdir(RUNBOOK_DIR)).filter((f) => f.endsWith('.md')).sort();
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(
      kb
        .all()
        .map((r) => `${r.id}.md`)
        .sort(),
    ).toEqual(files);
    for (const r of kb.all()) {
      for (const section of [
        '## Symptoms',
        '## Diagnosis',
        '## Remediation',
        '## Verification',
        '## Escalation',
      ])
        expect({ id: r.id, has: r.body.includes(section) }).toEqual({ id: r.id, has: true });
    }
  });

  it('the credentials runbook is escalate-only and the Lambda OOM one proposes only a medium-risk restart', () => {
    const creds = kb.get('credentials-permission-denied')!;
    expect(creds.escalate).toBe(true);
    expect(creds.allowed_actions).toEqual([]);
    const oom = kb.get('lambda-out-of-memory')!;
    expect(oom.allowed_actions.map((a) => [a.action, a.risk])).toEqual([['lambda_restart', 'medium']]);
  });

  it('the README is documentation, not a runbook', () => {
    expect(kb.all().some((r) => r.source.toLowerCase().endsWith('readme.md'))).toBe(false);
  });
});

describe('search', () => {
  const cases: [string, string, { service?: string; kind?: string }][] = [
    [
      'FATAL: remaining connection slots are reserved for non-replication superuser connections',
      'db-connection-exhaustion',
      {},
    ],
    ['sorry, too many clients already', 'db-connection-exhaustion', { service: 'orders-db', kind: 'aurora' }],
    [
      '2026-11-26T07:00:01Z Task timed out after 30.00 seconds',
      'lambda-timeout',
      { service: 'payments-api', kind: 'lambda' },
    ],
    ['Runtime exited with error: signal: killed Runtime.OutOfMemory', 'lambda-out-of-memory', {}],
    ['ThrottlingException: Rate exceeded', 'throttling', { service: 'ingest-worker', kind: 'lambda' }],
    ['Throttles rising on ingest-worker', 'throttling', {}],
    [
      'Runtime.ImportModuleError: Error: Cannot find module handler right after the deploy',
      'bad-deployment',
      {},
    ],
    ['Error: connect ECONNREFUSED 10.0.3.12:443 calling partner API', 'downstream-dependency-failure', {}],
    ['503 Service Unavailable from upstream', 'downstream-dependency-failure', {}],
    [
      'ApproximateAgeOfOldestMessage rising, consumers falling behind',
      'queue-backlog',
      { service: 'stream-consumer', kind: 'ecs' },
    ],
    ['FreeStorageSpace dropping, No space left on device', 'storage-pressure', {}],
    [
      'nightly-etl RecordsProcessed is 0, job hung with no progress',
      'stuck-job',
      { service: 'nightly-etl', kind: 'spark' },
    ],
    ['AccessDenied assumed-role', 'credentials-permission-denied', {}],
    [
      'User: arn:aws:sts::123456789012:assumed-role/ingest-worker-role/ingest-worker is not authorized to perform: s3:GetObject',
      'credentials-permission-denied',
      {},
    ],
    ['password authentication failed for user "app"', 'credentials-permission-denied', {}],
    ['canceling statement due to statement timeout; deadlock detected', 'long-running-queries', {}],
    ['Container killed by YARN for exceeding memory limits', 'spark-executor-memory', {}],
  ];
  it.each(cases)('"%s" finds %s first', (query, expected, opts) => {
    const hits = kb.search(query, opts);
    expect(hits[0]?.id).toBe(expected);
    expect(hits[0]!.matched_terms.length).toBeGreaterThan(0);
  });

  it('marks the credentials hit as escalate-only', () => {
    expect(kb.search('AccessDenied assumed-role')[0]!.escalate).toBe(true);
  });

  it('tolerates typos and inflections (fuzzy + prefix)', () => {
    expect(kb.search('throtling ratelimit exceded')[0]?.id).toBe('throttling');
    expect(kb.search('deadlocks')[0]?.id).toBe('long-running-queries');
  });

  it('the service filter boosts the matching runbook without dropping others', () => {
    expect(kb.search('OutOfMemory', { service: 'payments-api', kind: 'lambda' })[0]!.id).toBe(
      'lambda-out-of-memory',
    );
    const spark = kb.search('OutOfMemory', { service: 'nightly-etl', kind: 'spark' });
    expect(spark[0]!.id).toBe('spark-executor-memory');
    expect(spark.map((h) => h.id)).toContain('lambda-out-of-memory');
    // generic runbooks ("*") stay for any service
    expect(kb.search('Rate exceeded', { service: 'stream-consumer', kind: 'ecs' })[0]!.id).toBe('throttling');
    // a Lambda's logs can show the database's error: the DB runbook is still found for a Lambda service
    expect(kb.search('too many connections', { service: 'ingest-worker', kind: 'lambda' })[0]!.id).toBe(
      'db-connection-exhaustion',
    );
    const plain = kb.search('OutOfMemory').find((h) => h.id === 'lambda-out-of-memory')!.score;
    const boosted = kb
      .search('OutOfMemory', { kind: 'lambda' })
      .find((h) => h.id === 'lambda-out-of-memory')!.score;
    expect(boosted).toBeGreaterThan(plain);
  });

  it('ranks equal matches: this service, then its kind, then generic, then other components (none dropped)', () => {
    const rb = (id: string, services: string) =>
      parseRunbook(minimal(id).replace('services: [lambda]', `services: ${services}`), `${id}.md`);
    const k = new KnowledgeBase([
      rb('aa-aurora', '[aurora]'),
      rb('zz-any', '["*"]'),
      rb('for-ecs', '[ecs]'),
      rb('for-consumer', '[stream-consumer]'),
    ]);
    expect(k.search('OddSignal', { service: 'stream-consumer', kind: 'ecs' }).map((h) => h.id)).toEqual([
      'for-consumer',
      'for-ecs',
      'zz-any',
      'aa-aurora',
    ]);
    // without a service, equal matches tie and fall back to id order
    expect(k.search('OddSignal').map((h) => h.id)).toEqual([
      'aa-aurora',
      'for-consumer',
      'for-ecs',
      'zz-any',
    ]);
  });

  it('respects the limit, returns nothing for an empty or stop-word query, and orders ties by id', () => {
    expect(kb.search('error memory connection timeout', { limit: 2 })).toHaveLength(2);
    expect(kb.search('   ')).toEqual([]);
    expect(kb.search('the and of')).toEqual([]);
    const twin = (id: string): Runbook => ({ ...parseRunbook(minimal(id), `${id}.md`) });
    const a = new KnowledgeBase([twin('zeta-twin'), twin('alpha-twin'), twin('mid-twin')]);
    const hits = a.search('OddSignal');
    expect(hits.map((h) => h.id)).toEqual(['alpha-twin', 'mid-twin', 'zeta-twin']);
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
  });
});

describe('allowsAction', () => {
  const rds = (parameter_name: string, new_value: number): RemediationPlan => ({
    action: 'rds_parameter',
    parameters: { parameter_name, new_value, parameter_group: 'orders-db-params' },
    risk: 'low',
    rationale: '',
  });
  const scale = (action: 'scale_out' | 'scale_in', amount: number): RemediationPlan => ({
    action: 'auto_scaling',
    parameters: {
      resource_type: 'ecs_service',
      resource_id: 'service/bdp-cluster/stream-consumer',
      action,
      amount,
    },
    risk: 'low',
    rationale: '',
  });
  const restart = (function_name: string): RemediationPlan => ({
    action: 'lambda_restart',
    parameters: { function_name },
    risk: 'low',
    rationale: '',
  });

  it('accepts parameters inside the runbook bounds and names the one outside', () => {
    expect(kb.allowsAction('db-connection-exhaustion', rds('max_connections', 200))).toEqual({
      allowed: true,
    });
    const tooHigh = kb.allowsAction('db-connection-exhaustion', rds('max_connections', 5000));
    expect(tooHigh.allowed).toBe(false);
    expect(tooHigh.reason).toMatch(/max_connections=5000 is above the runbook's maximum 1000/);
    expect(kb.allowsAction('db-connection-exhaustion', rds('max_connections', 50)).reason).toMatch(/below/);
    expect(kb.allowsAction('db-connection-exhaustion', rds('work_mem', 8192)).reason).toMatch(/work_mem/);
    expect(kb.allowsAction('long-running-queries', rds('work_mem', 8192))).toEqual({ allowed: true });
  });

  it('refuses actions the runbook does not list, and everything for escalate-only runbooks', () => {
    expect(kb.allowsAction('db-connection-exhaustion', scale('scale_out', 2)).reason).toMatch(
      /does not allow auto_scaling/,
    );
    expect(kb.allowsAction('credentials-permission-denied', restart('payments-api')).reason).toMatch(
      /escalate-only/,
    );
    expect(kb.allowsAction('no-such-runbook', restart('payments-api')).reason).toMatch(/no runbook/);
    expect(
      kb.allowsAction('credentials-permission-denied', {
        action: 'none',
        parameters: {},
        risk: 'low',
        rationale: '',
      }),
    ).toEqual({ allowed: true });
  });

  it('checks step size and direction for scaling', () => {
    expect(kb.allowsAction('queue-backlog', scale('scale_out', 4))).toEqual({ allowed: true });
    expect(kb.allowsAction('queue-backlog', scale('scale_out', 5)).reason).toMatch(/amount=5 is above/);
    expect(kb.allowsAction('queue-backlog', scale('scale_in', 1)).reason).toMatch(
      /action="scale_in" is not one of/,
    );
  });

  it('checks event types and, given a service, whether the action applies to it', () => {
    const ev = (event_type: string): RemediationPlan => ({
      action: 'eventbridge_event',
      parameters: { event_type, detail: {} },
      risk: 'medium',
      rationale: '',
    });
    expect(kb.allowsAction('stuck-job', ev('RETRY_JOB'))).toEqual({ allowed: true });
    expect(kb.allowsAction('stuck-job', ev('PAUSE_INGESTION')).allowed).toBe(false);
    expect(kb.allowsAction('bad-deployment', ev('PAUSE_INGESTION'))).toEqual({ allowed: true });
    expect(
      kb.allowsAction('db-connection-exhaustion', restart('payments-api'), {
        service: { name: 'payments-api', kind: 'lambda' },
      }),
    ).toEqual({ allowed: true });
    expect(
      kb.allowsAction('db-connection-exhaustion', restart('orders-db'), {
        service: { name: 'orders-db', kind: 'aurora' },
      }).reason,
    ).toMatch(/for service orders-db/);
  });
});

describe('default proposals against the remediation policy', () => {
  const policy = loadPolicy();

  it('every default proposal for every platform service it applies to passes checkPlan', () => {
    let checked = 0;
    for (const r of kb.all()) {
      for (const svc of DEFAULT_SERVICES) {
        if (!coversService(r.services, svc)) continue;
        for (const plan of kb.proposals(r.id, svc)) {
          expect({ runbook: r.id, service: svc.name, verdict: checkPlan(plan, policy) }).toEqual({
            runbook: r.id,
            service: svc.name,
            verdict: { allowed: true },
          });
          expect(kb.allowsAction(r.id, plan, { service: svc })).toEqual({ allowed: true });
          expect(plan.runbook_id).toBe(r.id);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('every runbook that allows actions has a proposal for at least one platform service', () => {
    for (const r of kb.all().filter((x) => !x.escalate)) {
      const n = DEFAULT_SERVICES.flatMap((s) =>
        coversService(r.services, s) ? kb.proposals(r.id, s) : [],
      ).length;
      expect({ id: r.id, proposals: n > 0 }).toEqual({ id: r.id, proposals: true });
    }
    expect(kb.proposals('credentials-permission-denied', { name: 'payments-api', kind: 'lambda' })).toEqual(
      [],
    );
  });

  it('fills {{service}} with the incident service', () => {
    expect(kb.proposals('queue-backlog', { name: 'stream-consumer', kind: 'ecs' })).toEqual([
      expect.objectContaining({
        action: 'auto_scaling',
        risk: 'low',
        parameters: {
          resource_type: 'ecs_service',
          resource_id: 'service/bdp-cluster/stream-consumer',
          action: 'scale_out',
          amount: 2,
        },
      }),
    ]);
    expect(kb.proposals('lambda-timeout', { name: 'ingest-worker', kind: 'lambda' })[0]!.parameters).toEqual({
      function_name: 'ingest-worker',
    });
  });

  it('runbook bounds lie inside the policy bounds', () => {
    const p = policy.actions;
    for (const r of kb.all()) {
      for (const a of r.allowed_actions) {
        if (a.action === 'rds_parameter') {
          for (const [name, b] of Object.entries(a.parameters)) {
            const pb = p.rds_parameter.parameters[name];
            expect({ runbook: r.id, name, inPolicy: !!pb && b.min! >= pb.min && b.max! <= pb.max }).toEqual({
              runbook: r.id,
              name,
              inPolicy: true,
            });
          }
        }
        if (a.action === 'auto_scaling')
          expect(a.parameters.amount?.max).toBeLessThanOrEqual(p.auto_scaling.max_step);
        if (a.action === 'eventbridge_event')
          for (const t of a.parameters.event_type?.one_of ?? [])
            expect(p.eventbridge_event.allowed_event_types).toContain(t);
      }
    }
  });
});

describe('loading', () => {
  afterEach(() => clearKnowledgeBaseCache());

  it('from an object store gives the same runbooks and search results as the folder', async () => {
    const store = new FakeObjectStore(await folderAsObjects('kb/'));
    const fromS3 = await loadKnowledgeBase({ bucket: 'kb-bucket', objects: store, prefix: 'kb/' });
    const strip = (r: Runbook) => ({ ...r, source: undefined });
    expect(fromS3.all().map(strip)).toEqual(kb.all().map(strip));
    expect(fromS3.all()[0]!.source).toMatch(/^s3:\/\/kb-bucket\/kb\/runbooks\/.+\.md$/);
    expect(store.reads).not.toContain('kb/README.md');
    for (const q of ['Task timed out after 30.00 seconds', 'AccessDenied assumed-role', 'queue backlog'])
      expect(fromS3.search(q).map((h) => [h.id, h.score])).toEqual(kb.search(q).map((h) => [h.id, h.score]));
  });

  it('knowledgeBaseFor reads the bucket when KNOWLEDGE_BASE_BUCKET is set, else the folder', async () => {
    const store = new FakeObjectStore(await folderAsObjects(''));
    const aws = { objects: store } as unknown as AwsProviders;
    const base = { AWS_MOCK: 'true', LLM_MOCK: 'true' };
    const s3 = await knowledgeBaseFor({
      config: loadConfig({ ...base, KNOWLEDGE_BASE_BUCKET: 'kb-bucket' }),
      aws,
    });
    expect(store.reads.length).toBe(kb.all().length);
    expect(s3.get('queue-backlog')!.source).toBe('s3://kb-bucket/runbooks/queue-backlog.md');
    const local = await knowledgeBaseFor({
      config: loadConfig({ ...base, KNOWLEDGE_BASE_DIR: KB_DIR }),
      aws,
    });
    expect(local.get('queue-backlog')!.source).toMatch(/knowledge-base\/runbooks\/queue-backlog\.md$/);
  });

  it('caches per process and source; a failed load is retried', async () => {
    const a = await loadKnowledgeBase({ dir: KB_DIR });
    expect(await loadKnowledgeBase({ dir: KB_DIR })).toBe(a);
    clearKnowledgeBaseCache();
    expect(await loadKnowledgeBase({ dir: KB_DIR })).not.toBe(a);

    const objects = await folderAsObjects('');
    const failing = new FakeObjectStore(objects, 'runbooks/queue-backlog.md');
    await expect(loadKnowledgeBase({ bucket: 'kb-bucket', objects: failing })).rejects.toThrow(
      'cannot read s3://kb-bucket/runbooks/queue-backlog.md (AccessDenied)',
    );
    const ok = await loadKnowledgeBase({ bucket: 'kb-bucket', objects: new FakeObjectStore(objects) });
    expect(ok.all()).toHaveLength(kb.all().length);
    await expect(loadKnowledgeBase({ bucket: 'other', objects: failing })).rejects.toThrow(
      /cannot list s3:\/\/other\//,
    );
  });

  it('an empty source is an error, not an empty knowledge base', async () => {
    const dir = await tempKb({ 'README.md': '# nothing' });
    await expect(loadKnowledgeBase({ dir })).rejects.toThrow(/no runbooks \(\*\.md\) found/);
    await rm(dir, { recursive: true });
  });
});

describe('a broken runbook stops loading with the file and field named', () => {
  afterEach(() => clearKnowledgeBaseCache());
  const broken: [string, string, RegExp][] = [
    [
      'bad risk',
      minimal(
        'bad-risk',
        'allowed_actions:\n  - action: lambda_restart\n    risk: extreme\n    default_parameters: { function_name: x }\nescalate: false',
      ),
      /bad-risk\.md: allowed_actions\.0\.risk:/,
    ],
    ['no front matter', '# Just a heading\n', /no-front-matter\.md: \(front matter\): the file must start/],
    ['YAML syntax', '---\nid: [unclosed\n---\nbody\n', /yaml-syntax\.md: \(front matter\): YAML error/],
    ['missing title', minimal('missing-title').replace(/title:.*\n/, ''), /missing-title\.md: title:/],
    [
      'default outside its own bounds',
      minimal(
        'outside',
        'allowed_actions:\n  - action: rds_parameter\n    risk: low\n    parameters: { max_connections: { min: 100, max: 300 } }\n    default_parameters: { parameter_name: max_connections, new_value: 900 }\nescalate: false',
      ),
      /outside\.md: allowed_actions\.0\.default_parameters: outside this action's own bounds: .*max_connections=900/,
    ],
    [
      'unknown bound field',
      minimal(
        'unknown-field',
        'allowed_actions:\n  - action: lambda_restart\n    risk: low\n    parameters: { memory_mb: { max: 10 } }\n    default_parameters: { function_name: x }\nescalate: false',
      ),
      /unknown-field\.md: allowed_actions\.0\.parameters\.memory_mb: lambda_restart has no boundable parameter/,
    ],
    [
      'escalate with actions',
      minimal(
        'esc',
        'allowed_actions:\n  - action: lambda_restart\n    risk: low\n    default_parameters: { function_name: x }\nescalate: true',
      ),
      /esc\.md: allowed_actions: an escalate-only runbook/,
    ],
    [
      'bad default parameter',
      minimal(
        'bad-default',
        'allowed_actions:\n  - action: eventbridge_event\n    risk: low\n    default_parameters: { event_type: alert, detail: {} }\nescalate: false',
      ),
      /bad-default\.md: allowed_actions\.0\.default_parameters\.event_type:/,
    ],
  ];
  it.each(broken)('%s', async (label, text, message) => {
    const file = `${label.replace(/\W+/g, '-').toLowerCase()}.md`;
    const name = /^---\nid: ([a-z-]+)/.exec(text)?.[1] ?? file.replace(/\.md$/, '');
    const dir = await tempKb({ 'good.md': minimal('good-one'), [`${name}.md`]: text });
    try {
      const err = await loadKnowledgeBase({ dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunbookError);
      expect((err as Error).message).toMatch(message);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('duplicate ids name both files', async () => {
    const dir = await tempKb({ 'a.md': minimal('same-id'), 'b.md': minimal('same-id') });
    await expect(loadKnowledgeBase({ dir })).rejects.toThrow(
      /b\.md: id: "same-id" is already used by .*a\.md/,
    );
    await rm(dir, { recursive: true });
  });
});

describe('runbookDigest', () => {
  it('fits the budget and carries the actions, their bounds and the default', () => {
    const d = runbookDigest(kb.get('db-connection-exhaustion')!, 900);
    expect(d.length).toBeLessThanOrEqual(900);
    expect(d).toContain('rds_parameter (risk low)');
    expect(d).toContain('max_connections 100–1000');
    expect(d).toContain('"new_value":200');
    expect(runbookDigest(kb.get('credentials-permission-denied')!)).toContain('none — escalate to a human');
  });
});

describe('typed signals in the front matter', () => {
  const withSignals = (signals: string) =>
    `---
id: typed-signals
title: Typed signals runbook
services: [lambda]
symptoms: [something odd]
patterns: [OddSignal]
${signals}
allowed_actions: []
escalate: true
---

# Body
`;

  it('parses metrics, logs, changes, escalate_when and scoped contradictions', () => {
    const r = parseRunbook(
      withSignals(`metrics:
  - { name: Throttles, namespace: AWS/Lambda, direction: above }
logs:
  - id: lambda-concurrency
    phrases: [TooManyRequestsException]
    regex: ['Reason: ?ReservedFunction']
changes:
  - kind: deployment
escalate_when:
  - reason: an account quota
    logs:
      - id: quota
        phrases: [ServiceQuotaExceededException, LimitExceededException]
contradicted_by:
  - metric: Throttles
    namespace: AWS/Lambda
    only_for_logs: [lambda-concurrency]
    reason: the function is not throttled`),
      'typed.md',
    );
    expect(r.metrics).toEqual([{ name: 'Throttles', namespace: 'AWS/Lambda', direction: 'above' }]);
    expect(r.changes).toEqual([{ kind: 'deployment', within_minutes: 180, detail: [] }]);
    expect(r.contradicted_by[0]?.only_for_logs).toEqual(['lambda-concurrency']);
  });

  it.each([
    ['no signal at all', '', /at least one signal/],
    ['a log signal with one wording', 'logs:\n  - id: one\n    phrases: [only one]', /at least two wordings/],
    [
      'a regex that does not compile',
      "logs:\n  - id: bad\n    phrases: [a phrase]\n    regex: ['(unclosed']",
      /not a valid regular expression/,
    ],
    ['a metric without a direction', 'metrics:\n  - { name: Throttles, namespace: AWS/Lambda }', /direction/],
    [
      'a contradiction scoped to an unknown log signal',
      'logs:\n  - id: known\n    phrases: [aa, bb]\ncontradicted_by:\n  - { metric: X, namespace: N, only_for_logs: [unknown], reason: why not }',
      /no log signal "unknown"/,
    ],
  ])('rejects %s', (_what, signals, message) => {
    expect(() => parseRunbook(withSignals(signals), 'typed.md')).toThrow(message);
  });

  it('every shipped runbook declares several wordings per log signal and no CamelCase guessing is needed', () => {
    for (const r of kb.all()) {
      expect({ id: r.id, signals: r.logs.length + r.metrics.length }).not.toEqual({ id: r.id, signals: 0 });
      for (const l of r.logs) expect(l.phrases.length + l.regex.length).toBeGreaterThanOrEqual(2);
    }
  });
});
