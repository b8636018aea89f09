import { FaultInjector } from '../shared/faults';
import {
  AwsProviderError,
  type BandedSeries,
  type CloudWatchProvider,
  type MetricDatum,
  type MetricQuery,
  type MetricSeries,
} from '../types';
import { BAND_HISTORY, isSupportedStat, statistic, trailingBand } from './aggregate';

interface Point {
  t: number;
  v: number;
}

const seriesKey = (namespace: string, metric: string, dims: Record<string, string>) =>
  JSON.stringify([namespace, metric, Object.entries(dims).sort(([a], [b]) => a.localeCompare(b))]);

/**
 * In-memory CloudWatch metrics. Raw datapoints come in through putMetricData (or `seed`), and reads
 * aggregate them per period like GetMetricData: periods aligned to multiples of period_seconds since
 * the epoch, only periods that have data, oldest first.
 */
export class MockCloudWatch implements CloudWatchProvider {
  readonly faults = new FaultInjector('cloudwatch');
  private readonly series = new Map<string, Point[]>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(operation: 'GetMetricData' | 'PutMetricData', kind: AwsProviderError['kind'], n = 1): void {
    this.faults.failNext(operation, kind, n);
  }

  /** Test/simulator hook: store datapoints without the PutMetricData limits or fault checks. */
  seed(data: MetricDatum[]): void {
    for (const d of data) this.store(d);
  }

  /** Test hook: every raw datapoint of one metric, oldest first. */
  datapoints(
    namespace: string,
    metric_name: string,
    dimensions: Record<string, string>,
  ): { timestamp: Date; value: number }[] {
    return (this.series.get(seriesKey(namespace, metric_name, dimensions)) ?? []).map((p) => ({
      timestamp: new Date(p.t),
      value: p.v,
    }));
  }

  /** Forgets every datapoint. */
  reset(): void {
    this.series.clear();
  }

  async putMetricData(data: MetricDatum[]): Promise<void> {
    this.faults.check('PutMetricData');
    for (const d of data) {
      if (!d.namespace || !d.metric_name) {
        throw new AwsProviderError(
          'cloudwatch',
          'PutMetricData',
          'validation',
          'namespace and metric_name are required',
        );
      }
      if (!Number.isFinite(d.value)) {
        throw new AwsProviderError(
          'cloudwatch',
          'PutMetricData',
          'validation',
          `value of ${d.metric_name} must be a finite number`,
        );
      }
    }
    for (const d of data) this.store(d);
  }

  async getMetric(q: MetricQuery): Promise<MetricSeries> {
    this.faults.check('GetMetricData');
    this.validate(q);
    return this.aggregate(q, q.start.getTime(), q.end.getTime());
  }

  async getMetricWithBand(q: MetricQuery & { band_width: number }): Promise<BandedSeries> {
    this.faults.check('GetMetricData');
    this.validate(q);
    if (!(q.band_width > 0)) {
      throw new AwsProviderError(
        'cloudwatch',
        'GetMetricData',
        'validation',
        'band_width must be a positive number',
      );
    }
    const span = BAND_HISTORY * q.period_seconds * 1000;
    const history = this.aggregate(q, q.start.getTime() - span, q.start.getTime());
    const series = this.aggregate(q, q.start.getTime(), q.end.getTime());
    const band = trailingBand(history.values, series.values, q.band_width);
    return { ...series, ...band };
  }

  private store(d: MetricDatum): void {
    const key = seriesKey(d.namespace, d.metric_name, d.dimensions);
    const points = this.series.get(key) ?? [];
    const t = (d.timestamp ?? this.now()).getTime();
    // Keep points sorted by time; inserts are mostly appends.
    let i = points.length;
    while (i > 0 && points[i - 1]!.t > t) i--;
    points.splice(i, 0, { t, v: d.value });
    this.series.set(key, points);
  }

  private validate(q: MetricQuery): void {
    const fail = (m: string) => new AwsProviderError('cloudwatch', 'GetMetricData', 'validation', m);
    const p = q.period_seconds;
    if (!Number.isInteger(p) || (p < 60 ? ![1, 5, 10, 30].includes(p) : p % 60 !== 0)) {
      throw fail(`period_seconds must be 1, 5, 10, 30 or a multiple of 60, got ${q.period_seconds}`);
    }
    if (!isSupportedStat(q.stat)) throw fail(`unsupported statistic "${q.stat}"`);
    if (!(q.start.getTime() < q.end.getTime())) throw fail('start must be before end');
  }

  private aggregate(q: MetricQuery, from: number, to: number): MetricSeries {
    const points = this.series.get(seriesKey(q.namespace, q.metric_name, q.dimensions)) ?? [];
    const period = q.period_seconds * 1000;
    const buckets = new Map<number, number[]>();
    for (const p of points) {
      if (p.t < from || p.t >= to) continue;
      const b = Math.floor(p.t / period) * period;
      const list = buckets.get(b) ?? [];
      list.push(p.v);
      buckets.set(b, list);
    }
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    return {
      timestamps: keys.map((k) => new Date(k).toISOString()),
      values: keys.map((k) => statistic(q.stat, buckets.get(k)!)),
    };
  }
}
