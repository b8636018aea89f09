import { tool } from '@langchain/core/tools';
import * as z from 'zod';
import { capJson } from './budget';
import { guarded, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import { LogsOutput, MetricsOutput, type PatternsOutput } from './contracts';
import { isErrorLevel, queryRdsLogsTool } from './logs';
import { queryCloudwatchMetricsTool } from './metrics';

const input = z.object({
  service: z.string().min(1).max(64),
  minutes: z.number().int().min(10).max(1440).default(60),
});

/**
 * Logs + metrics → patterns: which error templates are rising (more in the second half of the
 * window than the first), which metrics left their band, and when errors started (onset).
 */
export function analyzePatternsTool(ctx: ToolContext) {
  const metricsTool = queryCloudwatchMetricsTool(ctx);
  const logsTool = queryRdsLogsTool(ctx);
  return tool(
    async (args) =>
      guarded('analyze_patterns', async () => {
        const [mRaw, lRaw] = await Promise.all([
          metricsTool.invoke({ service: args.service, minutes: args.minutes }),
          logsTool.invoke({ service: args.service, minutes: args.minutes }),
        ]);
        const metrics = MetricsOutput.safeParse(JSON.parse(String(mRaw)));
        const logs = LogsOutput.safeParse(JSON.parse(String(lRaw)));
        const mid = new Date(ctx.rt.now().getTime() - (args.minutes * 60_000) / 2).toISOString();
        const errorGroups = logs.success ? logs.data.groups.filter((g) => isErrorLevel(g.level)) : [];
        const out: PatternsOutput = {
          service: args.service,
          anomalous_metrics: metrics.success ? metrics.data.anomalous : [],
          onset:
            errorGroups
              .map((g) => g.first_seen ?? '')
              .filter(Boolean)
              .sort()[0] ?? null,
          patterns: errorGroups.slice(0, 8).map((g) => ({
            template: g.template,
            level: g.level,
            count: g.count,
            // Without per-row times in the group, first/last seen against the window's midpoint tell the trend.
            trend: (g.first_seen ?? '') >= mid ? 'rising' : (g.last_seen ?? '') < mid ? 'falling' : 'steady',
          })),
        };
        return capJson(out, TOOL_TOKEN_BUDGET.analyze_patterns);
      }),
    {
      name: 'analyze_patterns',
      description:
        'Correlates a service’s logs and metrics: error templates with their trend (rising/steady/falling), metrics outside their band, and the onset of errors.',
      schema: input,
    },
  );
}
