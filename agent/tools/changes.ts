import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { ServiceDefinition } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { capJson } from './budget';
import { findService, guarded, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import type { ChangesOutput } from './contracts';

const input = z.object({
  service: z.string().min(1).max(64),
  hours: z.number().int().min(1).max(168).default(24).describe('Look-back window in hours'),
});

/** The resource ids remediation history may hold for a service (functions, clusters, ECS services, parameter groups). */
export function resourcesOf(
  svc: ServiceDefinition,
  rt: Pick<Runtime, 'policy'>,
): { ids: string[]; functions: string[] } {
  const ids = new Set<string>([svc.name]);
  const functions = new Set<string>();
  if (svc.kind === 'lambda') functions.add(svc.name);
  for (const m of svc.metrics) {
    if (m.dimensions.FunctionName) functions.add(m.dimensions.FunctionName);
    if (m.dimensions.DBClusterIdentifier) ids.add(m.dimensions.DBClusterIdentifier);
  }
  for (const f of functions) ids.add(f);
  for (const t of rt.policy.actions.auto_scaling.targets)
    if (t.resource_id.endsWith(`/${svc.name}`)) ids.add(t.resource_id);
  if (svc.kind === 'aurora') for (const g of rt.policy.actions.rds_parameter.parameter_groups) ids.add(g);
  return { ids: [...ids].slice(0, 10), functions: [...functions].slice(0, 5) };
}

export function getRecentChangesTool(ctx: ToolContext) {
  return tool(
    async (args) =>
      guarded('get_recent_changes', async () => {
        const svc = findService(ctx, args.service);
        const since = new Date(ctx.rt.now().getTime() - args.hours * 3_600_000);
        const { ids, functions } = resourcesOf(svc, ctx.rt);
        const out: ChangesOutput = { service: svc.name, window_hours: args.hours, changes: [] };
        for (const id of ids) {
          const items = await ctx.rt.aws.dynamo.query('remediation_history', {
            partition_value: id,
            sort: { op: '>=', value: since.toISOString() },
            newest_first: true,
            limit: 10,
          });
          for (const it of items) {
            const params = it.parameters ? JSON.stringify(it.parameters).slice(0, 200) : '';
            out.changes.push({
              kind: 'remediation',
              resource: id,
              at: String(it.execution_time ?? ''),
              detail: `${String(it.action ?? it.action_type ?? 'action')} ${params} → ${String(it.status ?? it.result ?? 'unknown')}`,
            });
          }
        }
        // History rows are keyed by the executor's resource id (`scaling:…`, `lambda:…`, `rds-param:…`)
        // and carry the service: find them by service too (a small table; 90-day TTL).
        const seen = new Set(out.changes.map((c) => `${c.resource}@${c.at}`));
        const byService = await Promise.resolve()
          .then(() =>
            ctx.rt.aws.dynamo.scan('remediation_history', {
              expression: '#svc = :svc AND #at >= :since',
              names: { '#svc': 'service', '#at': 'execution_time' },
              values: { ':svc': svc.name, ':since': since.toISOString() },
            }),
          )
          .catch(() => []);
        for (const it of byService) {
          const resource = String(it.resource_id ?? '');
          const at = String(it.execution_time ?? '');
          if (seen.has(`${resource}@${at}`)) continue;
          const params = it.parameters ? JSON.stringify(it.parameters).slice(0, 200) : '';
          out.changes.push({
            kind: 'remediation',
            resource,
            at,
            detail: `${String(it.action ?? it.action_type ?? 'action')} ${params} → ${String(it.status ?? it.result ?? 'unknown')}`,
          });
        }
        for (const f of functions) {
          const fn = await ctx.rt.aws.lambda.getFunction(f);
          const at = new Date(fn.last_modified);
          if (!Number.isNaN(at.getTime()) && at >= since)
            out.changes.push({
              kind: 'deployment',
              resource: f,
              at: at.toISOString(),
              detail: `function ${f} code or configuration updated (version ${fn.version})`,
            });
        }
        out.changes.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
        return capJson(out, TOOL_TOKEN_BUDGET.get_recent_changes);
      }),
    {
      name: 'get_recent_changes',
      description:
        'What changed recently for a service: remediations from the remediation history and deployments (Lambda last_modified / version). An empty list means nothing changed in the window.',
      schema: input,
    },
  );
}
