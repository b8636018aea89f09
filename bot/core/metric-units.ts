import { formatNumber } from './text';

/**
 * The unit of each metric the product watches, from AWS's metric definitions (the CloudWatch user
 * guides of Lambda, SQS, RDS, ECS, Kinesis, Glue/EMR) and our own namespace. Every one of them is
 * non-negative: a band below zero is shown clamped at 0.
 */
export type MetricUnit = 'milliseconds' | 'seconds' | 'bytes' | 'percent' | 'count';

const UNITS: Record<string, MetricUnit> = {
  'AWS/Lambda/Duration': 'milliseconds',
  'AWS/Lambda/IteratorAge': 'milliseconds',
  'AWS/Lambda/Errors': 'count',
  'AWS/Lambda/Throttles': 'count',
  'AWS/Lambda/Invocations': 'count',
  'AWS/Lambda/ConcurrentExecutions': 'count',
  'AWS/SQS/ApproximateAgeOfOldestMessage': 'seconds',
  'AWS/SQS/ApproximateNumberOfMessagesVisible': 'count',
  'AWS/SQS/NumberOfMessagesReceived': 'count',
  'AWS/RDS/DatabaseConnections': 'count',
  'AWS/RDS/FreeStorageSpace': 'bytes',
  'AWS/RDS/FreeLocalStorage': 'bytes',
  'AWS/RDS/FreeableMemory': 'bytes',
  'AWS/RDS/CPUUtilization': 'percent',
  'AWS/RDS/ReadLatency': 'seconds',
  'AWS/RDS/WriteLatency': 'seconds',
  'AWS/RDS/Deadlocks': 'count',
  'AWS/ECS/CPUUtilization': 'percent',
  'AWS/ECS/MemoryUtilization': 'percent',
  'AWS/Kinesis/GetRecords.IteratorAgeMilliseconds': 'milliseconds',
  'BDP/Jobs/RecordsProcessed': 'count',
};

export function metricUnit(namespace: string, metric_name: string): MetricUnit | undefined {
  return UNITS[`${namespace}/${metric_name}`];
}

const BYTE_STEPS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** A value with its unit: "8,540 ms", "1,620 s (27 min)", "1.2 GB", "85%", "312". */
export function formatMetricValue(v: number, unit: MetricUnit | undefined): string {
  switch (unit) {
    case 'milliseconds':
      return `${formatNumber(v)} ms`;
    case 'seconds':
      return v >= 120
        ? `${formatNumber(v)} s (${formatNumber(Math.round(v / 60))} min)`
        : `${formatNumber(v)} s`;
    case 'bytes': {
      let x = v;
      let i = 0;
      while (Math.abs(x) >= 1024 && i < BYTE_STEPS.length - 1) {
        x /= 1024;
        i++;
      }
      return `${formatNumber(Math.round(x * 10) / 10)} ${BYTE_STEPS[i]}`;
    }
    case 'percent':
      return `${formatNumber(v)}%`;
    default:
      return formatNumber(v);
  }
}

/** The unit word shown after a band ("120–400 ms"): bands are formatted the same way as values. */
export function formatBand(
  lower: number,
  upper: number,
  unit: MetricUnit | undefined,
  series: number[],
): string {
  // Every known unit is non-negative; an unknown metric whose values never went below 0 is too.
  const nonNegative = unit !== undefined || series.every((x) => x >= 0);
  const lo = nonNegative ? Math.max(0, lower) : lower;
  if (unit === 'bytes') return `${formatMetricValue(lo, unit)} – ${formatMetricValue(upper, unit)}`;
  const suffix = unit === 'milliseconds' ? ' ms' : unit === 'seconds' ? ' s' : unit === 'percent' ? '%' : '';
  return `${formatNumber(lo)}–${formatNumber(upper)}${suffix}`;
}
