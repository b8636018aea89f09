/**
 * One interface per AWS service the product touches. Each has a real implementation on the AWS SDK v3
 * and an in-memory mock that behaves the same (shared contract tests), chosen by AWS_MOCK.
 */

// ── CloudWatch metrics ────────────────────────────────────────────────────────────────────────────
export interface MetricQuery {
  namespace: string;
  metric_name: string;
  dimensions: Record<string, string>;
  stat: string;
  period_seconds: number;
  start: Date;
  end: Date;
}
/** Aligned series, oldest first. */
export interface MetricSeries {
  timestamps: string[];
  values: number[];
}
export interface BandedSeries extends MetricSeries {
  lower: number[];
  upper: number[];
}
export interface MetricDatum {
  namespace: string;
  metric_name: string;
  dimensions: Record<string, string>;
  value: number;
  timestamp?: Date;
  unit?: string;
}
export interface CloudWatchProvider {
  /** GetMetricData with an ANOMALY_DETECTION_BAND(m1, band_width) expression. */
  getMetricWithBand(q: MetricQuery & { band_width: number }): Promise<BandedSeries>;
  getMetric(q: MetricQuery): Promise<MetricSeries>;
  putMetricData(data: MetricDatum[]): Promise<void>;
}

// ── CloudWatch Logs ───────────────────────────────────────────────────────────────────────────────
export interface LogEvent {
  timestamp: number;
  message: string;
  log_stream?: string;
}
export interface CloudWatchLogsProvider {
  filterEvents(q: {
    log_group: string;
    filter_pattern: string;
    start: Date;
    end: Date;
    limit?: number;
  }): Promise<LogEvent[]>;
  /** Runs a Logs Insights query to completion (bounded polling) and returns its rows. */
  insightsQuery(q: {
    log_groups: string[];
    query: string;
    start: Date;
    end: Date;
    limit?: number;
  }): Promise<Record<string, string>[]>;
}

// ── Unified logs in RDS (Data API) ────────────────────────────────────────────────────────────────
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
export interface UnifiedLogRow {
  id: string;
  timestamp: string;
  service_name: string;
  log_level: LogLevel;
  message: string;
  /** Parsed metadata; null when absent. */
  metadata: Record<string, unknown> | null;
  /** The raw text when metadata was not valid JSON (the row is kept). */
  metadata_unparsed?: string;
}
export interface ServiceErrorCounts {
  service_name: string;
  window_errors: number;
  baseline_errors: number;
}
export type SqlParam = string | number | boolean | null | Date;
/** The one place SQL is sent: RDS Data API in AWS, PGlite locally and in tests. Same SQL, same parameters. */
export interface SqlExecutor {
  execute(sql: string, params?: Record<string, SqlParam>): Promise<Record<string, unknown>[]>;
}
export interface UnifiedLogProvider {
  /** Error/fatal counts per service in [window_start, end) and [baseline_start, window_start). One indexed query. */
  errorCounts(q: { window_start: Date; baseline_start: Date; end: Date }): Promise<ServiceErrorCounts[]>;
  /** Recent rows of one service, newest first, by level. */
  recentLogs(q: {
    service_name: string;
    levels: LogLevel[];
    since: Date;
    limit: number;
  }): Promise<UnifiedLogRow[]>;
  insert(
    rows: Omit<UnifiedLogRow, 'id' | 'metadata_unparsed'>[] | { metadata_raw?: string }[],
  ): Promise<void>;
}

// ── DynamoDB ──────────────────────────────────────────────────────────────────────────────────────
export type TableKey = 'anomaly_tracking' | 'workflow_state' | 'remediation_history' | 'agent_memory';
export type Item = Record<string, unknown>;
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}
/** A conditional write that loses is a value, not an exception. */
export type WriteResult = { ok: true; attributes?: Item } | { ok: false; reason: 'condition_failed' };
export interface DynamoProvider {
  put(table: TableKey, item: Item, condition?: Condition): Promise<WriteResult>;
  get(table: TableKey, key: Item): Promise<Item | undefined>;
  /** UpdateExpression form; returns ALL_NEW attributes when it succeeds. */
  update(
    table: TableKey,
    key: Item,
    update: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
    condition?: Condition,
  ): Promise<WriteResult>;
  delete(table: TableKey, key: Item, condition?: Condition): Promise<WriteResult>;
  query(
    table: TableKey,
    q: {
      partition_value: unknown;
      sort?: { op: 'begins_with' | 'between' | '>=' | '<='; value: unknown; value2?: unknown };
      newest_first?: boolean;
      limit?: number;
      index?: string;
    },
  ): Promise<Item[]>;
  /** Full scan with an optional filter; for small tables and operator views only. */
  scan(table: TableKey, filter?: Condition, limit?: number): Promise<Item[]>;
  /** The physical table name behind a key (for infra and messages). */
  tableName(table: TableKey): string;
}

// ── Lambda ────────────────────────────────────────────────────────────────────────────────────────
export interface FunctionState {
  function_name: string;
  description: string;
  environment: Record<string, string>;
  memory_mb: number;
  timeout_s: number;
  last_modified: string;
  version: string;
}
export interface LambdaProvider {
  getFunction(name: string): Promise<FunctionState>;
  updateFunction(
    name: string,
    patch: Partial<Pick<FunctionState, 'description' | 'environment' | 'memory_mb' | 'timeout_s'>>,
  ): Promise<FunctionState>;
  /** Asynchronous invoke (InvocationType Event). */
  invokeAsync(name: string, payload: unknown): Promise<void>;
}

// ── EventBridge ───────────────────────────────────────────────────────────────────────────────────
export interface BusEvent {
  source: string;
  detail_type: string;
  detail: Record<string, unknown>;
  time?: Date;
}
export interface EventBridgeProvider {
  putEvents(events: BusEvent[]): Promise<void>;
}

// ── Step Functions ────────────────────────────────────────────────────────────────────────────────
export interface StepFunctionsProvider {
  startExecution(arn: string, input: unknown, name?: string): Promise<{ execution_arn: string }>;
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
  sendTaskHeartbeat(token: string): Promise<void>;
}

// ── What remediation touches ──────────────────────────────────────────────────────────────────────
/** RDS's ApplyType: a dynamic parameter applies at once, a static one at the next reboot. */
export type ParameterApplyType = 'static' | 'dynamic';
export type ParameterApplyMethod = 'immediate' | 'pending-reboot';
export interface ParameterInfo {
  name: string;
  value: string | undefined;
  apply_type: ParameterApplyType;
  is_modifiable: boolean;
}
export interface ClusterWriter {
  cluster_id: string;
  instance_id: string;
  status: string;
  /** The cluster parameter group, and whether a static change waits for a reboot. */
  parameter_group?: string;
  pending_reboot: boolean;
}
export interface RdsParameterProvider {
  getParameter(group: string, name: string): Promise<string | undefined>;
  /** The value and ApplyType (DescribeDBClusterParameters, falling back to DescribeDBParameters). */
  describeParameter(group: string, name: string): Promise<ParameterInfo | undefined>;
  /**
   * ModifyDBClusterParameterGroup (falls back to ModifyDBParameterGroup for instance groups). RDS
   * refuses `immediate` for a static parameter: pass `pending-reboot` for those.
   */
  setParameter(group: string, name: string, value: string, method?: ParameterApplyMethod): Promise<void>;
  /** The cluster's writer instance (DescribeDBClusters + DescribeDBInstances). */
  clusterWriter(cluster_id: string): Promise<ClusterWriter>;
  /** RebootDBInstance: pending-reboot parameters take effect; the instance is briefly unavailable. */
  rebootInstance(instance_id: string): Promise<void>;
}
/** Sessions of a database cluster (pg_stat_activity through the RDS Data API). */
export interface TerminatedSession {
  pid: number;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  idle_seconds: number;
  terminated: boolean;
}
export interface DbSessionsProvider {
  /**
   * Ends client sessions idle (or idle in transaction) longer than `idle_minutes`, oldest first, at
   * most `max_sessions`; never our own session, our own user, superusers, `protected_users` or
   * applications starting with one of `protected_applications`.
   */
  terminateIdle(q: {
    cluster_id: string;
    idle_minutes: number;
    max_sessions: number;
    protected_users: string[];
    protected_applications: string[];
    /** Data API target of the cluster; unset parts fall back to RDS_CLUSTER_ARN / RDS_SECRET_ARN / RDS_DATABASE. */
    target?: { resource_arn?: string; secret_arn?: string; database?: string };
  }): Promise<TerminatedSession[]>;
}
export interface Capacity {
  desired: number;
  min: number;
  max: number;
}
export interface AutoScalingProvider {
  getCapacity(resource_type: 'ecs_service' | 'scalable_target', resource_id: string): Promise<Capacity>;
  setCapacity(
    resource_type: 'ecs_service' | 'scalable_target',
    resource_id: string,
    capacity: Partial<Capacity>,
  ): Promise<Capacity>;
}

// ── Knowledge base and secrets ────────────────────────────────────────────────────────────────────
export interface ObjectStoreProvider {
  list(bucket: string, prefix: string): Promise<string[]>;
  getText(bucket: string, key: string): Promise<string>;
}
export interface SecretsProvider {
  getSecret(id: string): Promise<string>;
}

export interface AwsProviders {
  cloudwatch: CloudWatchProvider;
  logs: CloudWatchLogsProvider;
  unifiedLogs: UnifiedLogProvider;
  dynamo: DynamoProvider;
  lambda: LambdaProvider;
  events: EventBridgeProvider;
  sfn: StepFunctionsProvider;
  rdsParams: RdsParameterProvider;
  dbSessions: DbSessionsProvider;
  autoScaling: AutoScalingProvider;
  objects: ObjectStoreProvider;
  secrets: SecretsProvider;
  /** Frees local engines (dynalite, PGlite). A no-op for the real SDK clients. */
  close(): Promise<void>;
}

/** Every provider call that fails ends in this: which service, which operation, why. */
export class AwsProviderError extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly kind:
      | 'throttled'
      | 'access_denied'
      | 'not_found'
      | 'validation'
      | 'timeout'
      | 'unavailable'
      | 'unknown',
    message: string,
    options?: { cause?: unknown; sdkRetried?: boolean },
  ) {
    super(`${service}.${operation} failed (${kind}): ${message}`, options);
    this.name = 'AwsProviderError';
    this.sdkRetried = options?.sdkRetried ?? false;
  }
  /**
   * The call went through an SDK v3 client, whose standard retry mode already spent its attempts on
   * throttling/timeouts/5xx: nothing above it retries the same request again (one retry layer per call).
   */
  readonly sdkRetried: boolean;
}
