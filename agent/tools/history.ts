import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { capJson } from './budget';
import { findService, guarded, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import type { HistoryOutput } from './contracts';

const input = z.object({
  service: z.string().min(1).max(64),
  days: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(30)
    .describe('Look-back window in days (the state table keeps 30)'),
});

/** The workflow-state item of an incident (table bdp-workflow-state, sort key STATE): read by field name. */
const STATE_SK = 'STATE';

/**
 * Earlier incidents of a service ("did this happen before?"): from the workflow-state table, newest
 * first, each with its title, status, root cause and action. The current incident is left out.
 */
export function getIncidentHistoryTool(ctx: ToolContext) {
  return tool(
    async (args) =>
      guarded('get_incident_history', async () => {
        const svc = findService(ctx, args.service);
        const since = new Date(ctx.rt.now().getTime() - args.days * 86_400_000).toISOString();
        const items = await ctx.rt.aws.dynamo.scan('workflow_state', {
          expression: '#sk = :sk AND #service = :service AND #created >= :since',
          names: { '#sk': 'timestamp', '#service': 'service', '#created': 'created_at' },
          values: { ':sk': STATE_SK, ':service': svc.name, ':since': since },
        });
        const out: HistoryOutput = { service: svc.name, window_days: args.days, incidents: [] };
        for (const it of items) {
          const id = String(it.workflow_id ?? '');
          if (!id || id === ctx.incident.incident_id) continue;
          let state: {
            incident?: { title?: string };
            analysis?: { root_cause?: string; remediation_plan?: { action?: string } };
          } = {};
          try {
            state = JSON.parse(String(it.state_json ?? '{}'));
          } catch {
            // An unreadable record still counts as an occurrence.
          }
          out.incidents.push({
            incident_id: id,
            at: String(it.created_at ?? ''),
            status: String(it.status ?? 'unknown'),
            title: String(state.incident?.title ?? '').slice(0, 200),
            root_cause: String(state.analysis?.root_cause ?? '').slice(0, 240),
            action: String(state.analysis?.remediation_plan?.action ?? 'none'),
          });
        }
        out.incidents.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
        out.incidents = out.incidents.slice(0, 10);
        return capJson(out, TOOL_TOKEN_BUDGET.get_incident_history);
      }),
    {
      name: 'get_incident_history',
      description:
        'Earlier incidents of a service (newest first) with their title, outcome, root cause and action: whether this happened before and how it ended. An empty list means no earlier incident in the window.',
      schema: input,
    },
  );
}
