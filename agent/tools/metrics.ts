import { tool } from '@langchain/core/tools';
import * as z from 'zod';
import { capJson } from './budget';
import { findService, guarded, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import type { MetricStatus, MetricsOutput } from './contracts';
import '../../providers/aws/clients/cloudwatch';

const input = z.object({
  service: z.string().min(1).max(64).describe('Service name from the catalog'),
  metric_name: z.string().max(128).optional().describe('Only this metric (default: all of the service)'),
  minutes: z.number().int().min(5).max(1440).default(60).describe('Look-back window in minutes'),
});

/**
 * A metric is outside its band when most of its last periods (min 2 of 3) are, in one direction.
 * One stray point is noise, not a signal.
 */
export function bandStatus(values: number[], lower: number[], upper: number[], periods = 3): MetricStatus {
  const n = Math.min(values.length, lower.length, upper.length);
  if (n === 0) return 'no_data';
  const k = Math.min(periods, n);
  let above = 0;
  let below = 0;
  for (let i = n - k; i < n; i++) {
    if (values[i]! > upper[i]!) above++;
    else if (values[i]! < lower[i]!) below++;
  }
  const need = Math.max(1, Math.ceil(k / 2 + 0.01));
  if (above >= need) return 'above_band';
  if (below >= need) return 'below_band';
  return 'within_band';
}

export function queryCloudwatchMetricsTool(ctx: ToolContext) {
  return tool(
    async (args) =>
      guarded('query_cloudwatch_metrics', async () => {
        const svc = findService(ctx, args.service);
        const end = ctx.rt.now();
        const start = new Date(end.getTime() - args.minutes * 60_000);
        const wanted = svc.metrics.filter((m) => !args.metric_name || m.metric_name === args.metric_name);
        if (wanted.length === 0)
          throw new Error(
            `service ${svc.name} has no metric ${args.metric_name ?? ''} (it has: ${svc.metrics.map((m) => m.metric_name).join(', ') || 'none'})`,
          );
        const out: MetricsOutput = {
          service: svc.name,
          window_minutes: args.minutes,
          metrics: [],
          anomalous: [],
        };
        for (const m of wanted.slice(0, 8)) {
          const s = await ctx.rt.aws.cloudwatch.getMetricWithBand({
            namespace: m.namespace,
            metric_name: m.metric_name,
            dimensions: m.dimensions,
            stat: m.stat,
            period_seconds: m.period_seconds,
            start,
            end,
            band_width: m.band_width,
          });
          const status = bandStatus(s.values, s.lower, s.upper, m.periods);
          const last = s.values.length - 1;
          out.metrics.push({
            namespace: m.namespace,
            metric_name: m.metric_name,
            stat: m.stat,
            dimensions: m.dimensions,
            status,
            latest: last >= 0 ? round(s.values[last]!) : null,
            band:
              last >= 0 && s.lower.length > last
                ? { lower: round(s.lower[last]!), upper: round(s.upper[last]!) }
                : null,
            recent: s.values.slice(-10).map(round),
          });
          if (status === 'above_band' || status === 'below_band') out.anomalous.push(m.metric_name);
        }
        return capJson(out, TOOL_TOKEN_BUDGET.query_cloudwatch_metrics);
      }),
    {
      name: 'query_cloudwatch_metrics',
      description:
        "CloudWatch metrics of a service with their anomaly-detection band: each metric's status (above_band, below_band, within_band, no_data), latest value, band and recent values.",
      schema: input,
    },
  );
}

const round = (v: number) => Math.round(v * 1000) / 1000;
