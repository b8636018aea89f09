import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { coversService } from '../knowledge';
import { capJson } from './budget';
import { guarded, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
import type { KnowledgeOutput } from './contracts';

const input = z.object({
  query: z.string().min(2).max(300).describe('Symptoms, log phrases or metric names to look up'),
  service: z.string().max(64).optional().describe('Rank runbooks for this service first'),
  limit: z.number().int().min(1).max(5).default(3),
});

export function searchKnowledgeBaseTool(ctx: ToolContext) {
  return tool(
    async (args) =>
      guarded('search_knowledge_base', async () => {
        const name = args.service ?? ctx.incident.service;
        const kind = ctx.rt.services.find((s) => s.name === name)?.kind;
        const svc = { name, kind };
        const hits = ctx.kb.search(args.query, { service: name, kind, limit: args.limit });
        const out: KnowledgeOutput = {
          query: args.query,
          hits: hits.map((h) => {
            const proposals = ctx.kb.proposals(h.id, svc);
            return {
              runbook_id: h.id,
              title: h.title,
              score: Math.round(h.score * 100) / 100,
              services: h.runbook.services,
              symptoms: h.runbook.symptoms.slice(0, 6),
              patterns: h.runbook.patterns.slice(0, 10),
              escalate: h.runbook.escalate,
              signals: {
                logs: h.runbook.logs.map((l) => ({ id: l.id, phrases: l.phrases, regex: l.regex })),
                metrics: h.runbook.metrics,
                changes: h.runbook.changes.map((c) => ({ kind: c.kind, within_minutes: c.within_minutes })),
              },
              allowed_actions: h.runbook.allowed_actions
                .filter((a) => coversService(a.services ?? h.runbook.services, svc))
                .map((a) => ({
                  action: a.action,
                  risk: a.risk,
                  parameters: Object.fromEntries(
                    Object.entries(a.parameters).map(([k, b]) => [k, { min: b.min, max: b.max }]),
                  ),
                  default_parameters: proposals.find((p) => p.action === a.action)?.parameters ?? {},
                })),
            };
          }),
        };
        return capJson(out, TOOL_TOKEN_BUDGET.search_knowledge_base);
      }),
    {
      name: 'search_knowledge_base',
      description:
        'Full-text search of the runbooks: title, symptoms, patterns (metric names, log phrases), whether it is escalate-only, and the actions it allows with safe default parameters and bounds.',
      schema: input,
    },
  );
}
