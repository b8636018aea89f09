import { tool } from '@langchain/core/tools';
import * as z from 'zod';
import { historyItemTime, historyKeyLowerBound } from '../../pipeline/state/remediation-history';
import type { ServiceDefinition } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { capJson } from './budget';
import { findService, guarded, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import type { ChangesOutput } from './contracts';
import '../../providers/aws/clients/dynamodb';
import '../../providers/aws/clients/lambda';

const input = z.object({
  service: z.string().min(1).max(64),
  hours: z.number().int().min(1).max(168).default(24).describe('Look-back window in hours'),
});

/**
 * The remediation-history keys a service's changes live under. The executors key rows by what they
 * touched (`lambda:<fn>`, `rds-param:<group>/<name>`, `scaling:<id>`, `rds-cluster:<id>`,
 * `rds-sessions:<id>`); bare names are kept for rows written before that.
 */
export function resourcesOf(
  svc: ServiceDefinition,
  rt: Pick<Runtime, 'policy'>,
): { ids: string[]; functions: string[] } {
  const ids = new Set<string>([svc.name]);
  const functions = new Set<string>();
  const clusters = new Set<string>();
  if (svc.kind === 'lambda') functions.add(svc.name);
  if (svc.kind === 'aurora') clusters.add(svc.name);
  for (const m of svc.metrics) {
    if (m.dimensions.FunctionName) functions.add(m.dimensions.FunctionName);
    if (m.dimensions.DBClusterIdentifier) clusters.add(m.dimensions.DBClusterIdentifier);
  }
  for (const f of functions) ids.add(`lambda:${f}`).add(f);
  for (const t of rt.policy.actions.auto_scaling.targets)
    if (t.resource_id.endsWith(`/${svc.name}`)) ids.add(`scaling:${t.resource_id}`).add(t.resource_id);
  for (const c of clusters) ids.add(`rds-cluster:${c}`).add(`rds-sessions:${c}`).add(c);
  if (svc.kind === 'aurora') {
    const p = rt.policy.actions.rds_parameter;
    for (const g of p.parameter_groups) {
      for (const name of Object.keys(p.parameters)) ids.add(`rds-param:${g}/${name}`);
      ids.add(g);
    }
  }
  return { ids: [...ids].slice(0, 24), functions: [...functions].slice(0, 5) };
}

/** Our own restart touches the function's configuration: its last_modified is not a deployment. */
const OWN_CHANGE_SLACK_MS = 120_000;

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
            sort: { op: '>=', value: historyKeyLowerBound(since) },
            newest_first: true,
            limit: 10,
          });
          // Rows keyed by ISO time (before ULID keys) sort after every ULID: filter them by time.
          for (const it of items.filter((i) => historyItemTime(i) >= since.toISOString())) {
            const raw = it.parameters_json ?? (it.parameters ? JSON.stringify(it.parameters) : '');
            const params = String(raw).slice(0, 200);
            out.changes.push({
              kind: 'remediation',
              resource: id,
              at: historyItemTime(it),
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
              // `executed_at` on ULID-keyed rows; older rows have their ISO time as the key.
              expression: '#svc = :svc AND (#ex >= :since OR #at >= :since)',
              names: { '#svc': 'service', '#at': 'execution_time', '#ex': 'executed_at' },
              values: { ':svc': svc.name, ':since': since.toISOString() },
            }),
          )
          .catch(() => []);
        for (const it of byService) {
          const resource = String(it.resource_id ?? '');
          const at = historyItemTime(it);
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
          const own = out.changes.some(
            (c) =>
              c.kind === 'remediation' &&
              (c.resource === `lambda:${f}` || c.resource === f) &&
              Math.abs(Date.parse(c.at) - at.getTime()) <= OWN_CHANGE_SLACK_MS,
          );
          if (!Number.isNaN(at.getTime()) && at >= since && !own)
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
