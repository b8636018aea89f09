import { readFileSync } from 'node:fs';
import { ServiceCatalog } from '../domain/services';
import type { Config } from './schema';

/**
 * The platform the product watches when nothing else is configured: the same services the local
 * workspace simulates. Deployments point SERVICES_FILE at their own catalog (JSON).
 */
export const DEFAULT_SERVICES: ServiceCatalog = ServiceCatalog.parse([
  {
    name: 'payments-api',
    kind: 'lambda',
    description: 'Payments HTTP API on Lambda',
    metrics: [
      {
        namespace: 'AWS/Lambda',
        metric_name: 'Duration',
        dimensions: { FunctionName: 'payments-api' },
        stat: 'p95',
      },
      {
        namespace: 'AWS/Lambda',
        metric_name: 'Errors',
        dimensions: { FunctionName: 'payments-api' },
        stat: 'Sum',
      },
    ],
    log_groups: [
      { name: '/aws/lambda/payments-api', filter_patterns: ['ERROR', 'Task timed out', 'OutOfMemory'] },
    ],
    resources: { functions: ['payments-api'], event_bus: 'bdp-events' },
  },
  {
    name: 'ingest-worker',
    kind: 'lambda',
    description: 'Event ingestion worker on Lambda',
    metrics: [
      {
        namespace: 'AWS/Lambda',
        metric_name: 'Errors',
        dimensions: { FunctionName: 'ingest-worker' },
        stat: 'Sum',
      },
      {
        namespace: 'AWS/Lambda',
        metric_name: 'Throttles',
        dimensions: { FunctionName: 'ingest-worker' },
        stat: 'Sum',
      },
    ],
    log_groups: [
      { name: '/aws/lambda/ingest-worker', filter_patterns: ['ERROR', 'Task timed out', 'OutOfMemory'] },
    ],
    resources: {
      functions: ['ingest-worker'],
      scalable_targets: [{ service_namespace: 'ecs', resource_id: 'service/bdp-cluster/ingest-worker' }],
      event_bus: 'bdp-events',
    },
  },
  {
    name: 'orders-db',
    kind: 'aurora',
    description: 'Aurora PostgreSQL cluster for orders',
    metrics: [
      {
        namespace: 'AWS/RDS',
        metric_name: 'DatabaseConnections',
        dimensions: { DBClusterIdentifier: 'orders-db' },
        stat: 'Maximum',
      },
      {
        namespace: 'AWS/RDS',
        metric_name: 'FreeStorageSpace',
        dimensions: { DBClusterIdentifier: 'orders-db' },
      },
    ],
    resources: { db_cluster: 'orders-db', parameter_group: 'orders-db-params', event_bus: 'bdp-events' },
  },
  {
    name: 'stream-consumer',
    kind: 'ecs',
    description: 'Kinesis/SQS consumer on ECS',
    metrics: [
      {
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: 'stream-consumer-queue' },
        stat: 'Maximum',
      },
    ],
    log_groups: [{ name: '/ecs/stream-consumer', filter_patterns: ['ERROR'] }],
    resources: {
      scalable_targets: [{ service_namespace: 'ecs', resource_id: 'service/bdp-cluster/stream-consumer' }],
      event_bus: 'bdp-events',
    },
  },
  {
    name: 'nightly-etl',
    kind: 'spark',
    description: 'Nightly Spark ETL job on EMR',
    metrics: [
      {
        namespace: 'BDP/Jobs',
        metric_name: 'RecordsProcessed',
        dimensions: { JobName: 'nightly-etl' },
        stat: 'Sum',
      },
    ],
    resources: { event_bus: 'bdp-events' },
  },
]);

/** The service catalog: SERVICES_FILE (JSON) when set, else the defaults. Validated either way. */
export function loadServices(config: Pick<Config, 'SERVICES_FILE'>): ServiceCatalog {
  if (!config.SERVICES_FILE) return DEFAULT_SERVICES;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(config.SERVICES_FILE, 'utf8'));
  } catch (e) {
    throw new Error(`SERVICES_FILE=${config.SERVICES_FILE}: cannot read JSON (${(e as Error).message})`);
  }
  const r = ServiceCatalog.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`SERVICES_FILE=${config.SERVICES_FILE}: ${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}
