// The agent's tools: each a zod-typed LangChain tool reading through rt.aws, its output JSON capped to a
// token budget, its failures returned as {"error": …} data. Output shapes: ./contracts.
import type { StructuredToolInterface } from '@langchain/core/tools';
import { getRecentChangesTool } from './changes';
import type { ToolContext } from './context';
import { getIncidentHistoryTool } from './history';
import { searchKnowledgeBaseTool } from './knowledge';
import { queryCloudwatchLogsTool, queryRdsLogsTool } from './logs';
import { queryCloudwatchMetricsTool } from './metrics';
import { analyzePatternsTool } from './patterns';
import { proposeRemediationTool } from './propose';

export { capJson, estimateTokens } from './budget';
export { samePlan, TOOL_TOKEN_BUDGET, type ToolContext } from './context';
export * from './contracts';
export { groupLines, levelOf } from './logs';
export { bandStatus } from './metrics';
export { proposeRemediation } from './propose';

/** Every analysis tool, bound to one incident's context. */
export function buildTools(ctx: ToolContext): StructuredToolInterface[] {
  return [
    queryCloudwatchMetricsTool(ctx),
    queryRdsLogsTool(ctx),
    queryCloudwatchLogsTool(ctx),
    searchKnowledgeBaseTool(ctx),
    analyzePatternsTool(ctx),
    getRecentChangesTool(ctx),
    proposeRemediationTool(ctx),
  ];
}

/** The read-only subset for follow-up questions (a chat question never proposes an action). */
export function buildFollowUpTools(ctx: ToolContext): StructuredToolInterface[] {
  return [
    queryCloudwatchMetricsTool(ctx),
    queryRdsLogsTool(ctx),
    queryCloudwatchLogsTool(ctx),
    searchKnowledgeBaseTool(ctx),
    analyzePatternsTool(ctx),
    getRecentChangesTool(ctx),
    getIncidentHistoryTool(ctx),
  ];
}
