import type { MockAwsProviders } from '../../../providers/aws';

/** The parts of the mock platform a remediation changes: the simulator watches them to know a fix landed. */
export type PlatformControls = Pick<MockAwsProviders, 'rdsParams' | 'lambda' | 'autoScaling' | 'dbSessions'>;

export type FaultId = 'queue-backlog' | 'db-connections' | 'unknown-fault' | 'lambda-timeout' | 'credentials';

export interface FaultLogLine {
  level: 'ERROR' | 'FATAL' | 'WARN';
  message: string;
  per_minute: number;
}

export interface FaultDefinition {
  id: FaultId;
  service: string;
  /** What a person would see, for `--help` and the simulator's log. */
  title: string;
  /** The runbook that covers it, or undefined when none does (the product must escalate). */
  runbook?: string;
  /** Catalog metric name → its value `minute` minutes into the fault (baseline given). */
  metrics: Record<string, (baseline: number, minute: number) => number>;
  unified_logs?: FaultLogLine[];
  /** Lines for the service's CloudWatch log group. */
  cloudwatch_logs?: FaultLogLine[];
  /**
   * The platform state the real remediation changes, read when the fault starts; `fixed` compares
   * against it. Undefined for faults nothing in the policy can fix.
   */
  fix?: {
    describe: string;
    read(p: PlatformControls): Promise<number>;
    fixed(before: number, now: number): boolean;
  };
  /** Platform state the fault brings with it (e.g. the leaked sessions holding the slots). */
  onStart?(p: PlatformControls): Promise<void>;
}

/** Sessions a leaking client left idle (and idle in transaction) on orders-db when the fault starts. */
const LEAKED_SESSIONS = 40;

const STREAM_CONSUMER = 'service/bdp-cluster/stream-consumer';

export const FAULTS: Record<FaultId, FaultDefinition> = {
  'queue-backlog': {
    id: 'queue-backlog',
    service: 'stream-consumer',
    title: 'stream-consumer falls behind: the age of the oldest queued message keeps growing',
    runbook: 'queue-backlog',
    metrics: { ApproximateAgeOfOldestMessage: (_b, m) => Math.min(3_600, 900 + 240 * m) },
    // WARN only: the backlog shows in the metric, the consumer itself is healthy (one evidence family).
    unified_logs: [
      {
        level: 'WARN',
        message: 'consumer lag growing: 2 tasks cannot keep up with the shard',
        per_minute: 2,
      },
    ],
    cloudwatch_logs: [
      { level: 'WARN', message: 'consumer lag growing, batch processing behind', per_minute: 2 },
    ],
    fix: {
      describe: `desired count of ${STREAM_CONSUMER} raised`,
      read: async (p) => (await p.autoScaling.getCapacity('ecs_service', STREAM_CONSUMER)).desired,
      fixed: (before, now) => now > before,
    },
  },
  'db-connections': {
    id: 'db-connections',
    service: 'orders-db',
    title: 'orders-db runs out of connection slots: clients are refused',
    runbook: 'db-connection-exhaustion',
    metrics: { DatabaseConnections: (_b, m) => 97 + (m % 3) },
    unified_logs: [
      {
        level: 'FATAL',
        message: 'FATAL: remaining connection slots are reserved for non-replication superuser connections',
        per_minute: 6,
      },
    ],
    // Slots come back when leaked sessions are ended, or when a raised max_connections is RUNNING
    // (static on Aurora: only after the writer's reboot, not when the group is written).
    fix: {
      describe: 'connection slots freed (idle sessions ended, or max_connections raised and rebooted)',
      read: async (p) =>
        Number(p.rdsParams.runningValue('orders-db-params', 'max_connections') ?? 0) +
        p.dbSessions.runs.reduce((n, r) => n + r.terminated.filter((s) => s.terminated).length, 0),
      fixed: (before, now) => now > before,
    },
    onStart: (p) =>
      p.dbSessions.addSessions(
        Array.from({ length: LEAKED_SESSIONS }, (_, i) => ({
          usename: 'app_user',
          application_name: 'orders-api',
          state: i % 4 === 0 ? ('idle in transaction' as const) : ('idle' as const),
          idle_seconds: 1_800 + 30 * i,
        })),
      ),
  },
  'unknown-fault': {
    id: 'unknown-fault',
    service: 'ingest-worker',
    title: 'ingest-worker rejects every batch with a checksum mismatch (no runbook covers it)',
    metrics: { Errors: (_b, m) => 20 + (m % 4) },
    unified_logs: [
      {
        level: 'ERROR',
        message: 'Checksum mismatch in partition manifest part-00042.parquet (expected 9f1c2a, got 03ab77)',
        per_minute: 6,
      },
    ],
    cloudwatch_logs: [
      {
        level: 'ERROR',
        message: 'ERROR Checksum mismatch in partition manifest part-00042.parquet',
        per_minute: 6,
      },
    ],
  },
  'lambda-timeout': {
    id: 'lambda-timeout',
    service: 'payments-api',
    title: 'payments-api invocations hit the 30 s timeout (stuck execution environments)',
    runbook: 'lambda-timeout',
    metrics: { Duration: (_b, m) => 29_400 + 150 * (m % 4) },
    unified_logs: [{ level: 'ERROR', message: 'Task timed out after 30.00 seconds', per_minute: 5 }],
    cloudwatch_logs: [{ level: 'ERROR', message: 'Task timed out after 30.00 seconds', per_minute: 5 }],
    fix: {
      describe: 'payments-api restarted (configuration updated)',
      read: async (p) => Date.parse((await p.lambda.getFunction('payments-api')).last_modified),
      fixed: (before, now) => now > before,
    },
  },
  credentials: {
    id: 'credentials',
    service: 'payments-api',
    title: 'payments-api cannot read its secret after a role change (the runbook says: escalate)',
    runbook: 'credentials-permission-denied',
    metrics: { Errors: (_b, m) => 30 + (m % 5) },
    unified_logs: [
      {
        level: 'ERROR',
        message:
          'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/payments-api-role/payments-api is not authorized to perform: secretsmanager:GetSecretValue',
        per_minute: 5,
      },
    ],
  },
};

export interface ScenarioDefinition {
  description: string;
  /** Faults started in turn (cycling); empty for a quiet platform. */
  faults: FaultId[];
  /** Simulated minutes between fault starts. Above the 60-minute dedup window when one fault repeats. */
  every_minutes: number;
}

export const SCENARIOS: Record<string, ScenarioDefinition> = {
  default: {
    description:
      'cycle: queue backlog (approval), db connections (auto), unknown fault (escalate), lambda timeout (auto), credentials (escalate)',
    faults: ['queue-backlog', 'db-connections', 'unknown-fault', 'lambda-timeout', 'credentials'],
    every_minutes: 30,
  },
  'queue-backlog': {
    description: FAULTS['queue-backlog'].title,
    faults: ['queue-backlog'],
    every_minutes: 65,
  },
  'db-connections': {
    description: FAULTS['db-connections'].title,
    faults: ['db-connections'],
    every_minutes: 65,
  },
  'lambda-timeout': {
    description: FAULTS['lambda-timeout'].title,
    faults: ['lambda-timeout'],
    every_minutes: 65,
  },
  'unknown-fault': {
    description: FAULTS['unknown-fault'].title,
    faults: ['unknown-fault'],
    every_minutes: 65,
  },
  credentials: { description: FAULTS.credentials.title, faults: ['credentials'], every_minutes: 65 },
  quiet: {
    description: 'no faults: a healthy platform (try /bdp analyze <service>)',
    faults: [],
    every_minutes: 60,
  },
};
