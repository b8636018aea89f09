// The knowledge base: runbooks (knowledge-base/**.md, Markdown with YAML front matter) loaded from a
// folder or S3, validated, full-text searchable (MiniSearch), and able to say whether a remediation
// plan is one a runbook allows. Used by the agent's search_knowledge_base tool and its actionability score.
import type { Runtime } from '../../providers/runtime';
import type { KnowledgeBase } from './knowledge-base';
import { knowledgeBaseSource, loadKnowledgeBase } from './load';
import '../../providers/aws/clients/s3';

export { type ActionVerdict, coversService, proposalsFor, runbookAllows, type ServiceRef } from './actions';
export { runbookDigest } from './digest';
export { KnowledgeBase } from './knowledge-base';
export {
  clearKnowledgeBaseCache,
  type KnowledgeBaseSource,
  knowledgeBaseSource,
  loadKnowledgeBase,
  readRunbooks,
} from './load';
export { parseRunbook, RunbookError } from './parse';
export { AllowedAction, BOUNDABLE_FIELDS, ParameterBound, Runbook, RunbookFrontMatter } from './schema';
export { type RunbookHit, type SearchOptions, serviceBoost } from './search';

/** The runtime's knowledge base: S3 when KNOWLEDGE_BASE_BUCKET is set, else the KNOWLEDGE_BASE_DIR folder. Cached. */
export function knowledgeBaseFor(rt: Pick<Runtime, 'config' | 'aws'>): Promise<KnowledgeBase> {
  return loadKnowledgeBase(knowledgeBaseSource(rt.config, rt.aws.objects));
}
