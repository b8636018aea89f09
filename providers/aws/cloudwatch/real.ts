import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
  PutMetricDataCommand,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { awsCall } from '../shared/errors';
import type { BandedSeries, CloudWatchProvider, MetricDatum, MetricQuery, MetricSeries } from '../types';

/** PutMetricData accepts at most 1000 datums per request. */
export const PUT_BATCH = 1000;
/** GetMetricData pages read per call (bounded work). */
const MAX_PAGES = 10;

const metricStat = (q: MetricQuery): MetricDataQuery => ({
  Id: 'm1',
  MetricStat: {
    Metric: {
      Namespace: q.namespace,
      MetricName: q.metric_name,
      Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
    },
    Period: q.period_seconds,
    Stat: q.stat,
  },
  ReturnData: true,
});

/** CloudWatch metrics on the SDK: GetMetricData (with an anomaly band expression) and batched PutMetricData. */
export class SdkCloudWatch implements CloudWatchProvider {
  constructor(private readonly client: CloudWatchClient) {}

  async getMetric(q: MetricQuery): Promise<MetricSeries> {
    const results = await this.fetch(q, [metricStat(q)]);
    const m1 = pointsOf(results.filter((r) => r.Id === 'm1'));
    const keys = [...m1.keys()].sort((a, b) => a - b);
    return { timestamps: keys.map((k) => new Date(k).toISOString()), values: keys.map((k) => m1.get(k)!) };
  }

  /**
   * m1 plus `ANOMALY_DETECTION_BAND(m1, band_width)` (id ad1). The band comes back as two series under
   * the one id (the lower and the upper bound); rather than rely on their labels, each timestamp takes
   * the smaller value as lower and the larger as upper. Points without a band value (model still
   * training) are left out.
   */
  async getMetricWithBand(q: MetricQuery & { band_width: number }): Promise<BandedSeries> {
    const results = await this.fetch(q, [
      metricStat(q),
      { Id: 'ad1', Expression: `ANOMALY_DETECTION_BAND(m1, ${q.band_width})`, ReturnData: true },
    ]);
    const m1 = pointsOf(results.filter((r) => r.Id === 'm1'));
    const band = results.filter((r) => r.Id === 'ad1').map((r) => pointsOf([r]));
    const out: BandedSeries = { timestamps: [], values: [], lower: [], upper: [] };
    for (const t of [...m1.keys()].sort((a, b) => a - b)) {
      const edges = band.map((b) => b.get(t)).filter((v): v is number => v !== undefined);
      if (edges.length === 0) continue;
      out.timestamps.push(new Date(t).toISOString());
      out.values.push(m1.get(t)!);
      out.lower.push(Math.min(...edges));
      out.upper.push(Math.max(...edges));
    }
    return out;
  }

  async putMetricData(data: MetricDatum[]): Promise<void> {
    // One namespace per request: group first, then batch.
    const byNamespace = new Map<string, MetricDatum[]>();
    for (const d of data) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d]);
    for (const [namespace, list] of byNamespace) {
      for (let i = 0; i < list.length; i += PUT_BATCH) {
        const batch = list.slice(i, i + PUT_BATCH);
        await awsCall('cloudwatch', 'PutMetricData', (abortSignal) =>
          this.client.send(
            new PutMetricDataCommand({
              Namespace: namespace,
              MetricData: batch.map((d) => ({
                MetricName: d.metric_name,
                Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({ Name, Value })),
                Value: d.value,
                ...(d.timestamp ? { Timestamp: d.timestamp } : {}),
                ...(d.unit ? { Unit: d.unit as StandardUnit } : {}),
              })),
            }),
            { abortSignal },
          ),
        );
      }
    }
  }

  private async fetch(q: MetricQuery, queries: MetricDataQuery[]): Promise<MetricDataResult[]> {
    const results: MetricDataResult[] = [];
    let NextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await awsCall('cloudwatch', 'GetMetricData', (abortSignal) =>
        this.client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: q.start,
            EndTime: q.end,
            ScanBy: 'TimestampAscending',
            ...(NextToken ? { NextToken } : {}),
          }),
          { abortSignal },
        ),
      );
      results.push(...(out.MetricDataResults ?? []));
      NextToken = out.NextToken;
      if (!NextToken) break;
    }
    return results;
  }
}

/** Timestamp (ms) → value over every page of the given results. */
function pointsOf(results: MetricDataResult[]): Map<number, number> {
  const points = new Map<number, number>();
  for (const r of results) {
    const ts = r.Timestamps ?? [];
    const vs = r.Values ?? [];
    ts.forEach((t, i) => {
      const v = vs[i];
      if (v !== undefined) points.set(new Date(t).getTime(), v);
    });
  }
  return points;
}
