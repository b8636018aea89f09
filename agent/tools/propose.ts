import { tool } from '@langchain/core/tools';
import * as z from 'zod';
import { ActionType, RemediationPlan } from '../../providers/domain';
import { describeTarget, evaluatePlan } from '../../providers/policy';
import { capJson } from './budget';
import { guarded, samePlan, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import type { ProposalOutput } from './contracts';

const input = z.object({
  runbook_id: z
    .string()
    .max(64)
    .nullable()
    .describe('The runbook that allows the action (null for no action)'),
  action: z.union([ActionType, z.literal('none')]),
  parameters: z.record(z.string(), z.unknown()).default({}),
  rationale: z.string().max(1000).default(''),
});

/**
 * Validates a remediation proposal: typed parameters, a runbook that allows it for this service with
 * parameters inside its bounds, the remediation policy, and not a repeat of a failed attempt. The risk
 * comes from the runbook, never from the model.
 */
export function proposeRemediation(ctx: ToolContext, args: z.infer<typeof input>): ProposalOutput {
  const problems: string[] = [];
  const runbook = args.runbook_id ? ctx.kb.get(args.runbook_id) : undefined;
  if (args.runbook_id && !runbook) problems.push(`no runbook with id "${args.runbook_id}"`);
  const service = ctx.rt.services.find((s) => s.name === ctx.incident.service);
  const kind = service?.kind;
  // Entries may share an action (two rds_parameter bounds): the one bounding this parameter names the risk.
  const pname = (args.parameters as Record<string, unknown> | undefined)?.parameter_name;
  const same = runbook?.allowed_actions.filter((a) => a.action === args.action) ?? [];
  const risk =
    (same.find((a) => typeof pname === 'string' && pname in a.parameters) ?? same[0])?.risk ??
    (args.action === 'none' ? 'low' : 'high');
  const parsed = RemediationPlan.safeParse({
    action: args.action,
    parameters: args.parameters,
    rationale: args.rationale,
    risk,
    runbook_id: args.runbook_id ?? undefined,
  });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    problems.push(`invalid plan at ${i.path.join('.') || '(root)'}: ${i.message}`);
    return { accepted: false, runbook_id: args.runbook_id, plan: { action: args.action }, risk, problems };
  }
  // Defaults (e.g. the parameter group) come from the catalog; the target is named for the card.
  const evaluation = evaluatePlan(parsed.data, ctx.rt.policy, {
    service_name: ctx.incident.service,
    service,
  });
  const plan = { ...evaluation.plan, target: describeTarget(evaluation.plan, service) };
  if (plan.action !== 'none') {
    if (!args.runbook_id) problems.push('an action needs the runbook that allows it');
    if (runbook) {
      const v = ctx.kb.allowsAction(runbook.id, plan, {
        service: { name: ctx.incident.service, kind, resources: service?.resources },
      });
      if (!v.allowed) problems.push(v.reason ?? `runbook ${runbook.id} does not allow this plan`);
    }
    for (const reason of evaluation.reasons)
      if (!problems.includes(reason))
        problems.push(reason.startsWith('target:') ? reason : `policy: ${reason}`);
    if (ctx.failedPlans.some((f) => samePlan(f, plan)))
      problems.push('this exact plan was already tried and did not fix the signal; propose a different one');
  }
  return { accepted: problems.length === 0, runbook_id: args.runbook_id, plan, risk, problems };
}

export function proposeRemediationTool(ctx: ToolContext) {
  return tool(
    async (args) =>
      guarded('propose_remediation', async () =>
        capJson(proposeRemediation(ctx, args), TOOL_TOKEN_BUDGET.propose_remediation),
      ),
    {
      name: 'propose_remediation',
      description:
        'Proposes one remediation (lambda_restart {function_name}, rds_parameter {parameter_name, new_value}, auto_scaling {resource_type, resource_id, action, amount}, eventbridge_event {event_type, detail}) or none, citing the runbook that allows it. Returns whether it is accepted and why not.',
      schema: input,
    },
  );
}
