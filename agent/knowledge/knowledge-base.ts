import type { RemediationPlan } from '../../providers/domain';
import { type ActionVerdict, proposalsFor, runbookAllows, type ServiceRef } from './actions';
import { RunbookError } from './parse';
import type { Runbook } from './schema';
import { type RunbookHit, RunbookIndex, type SearchOptions } from './search';

/** The loaded runbooks with their full-text index. Immutable once built. */
export class KnowledgeBase {
  private readonly index: RunbookIndex;
  private readonly byId: Map<string, Runbook>;
  private readonly runbooks: readonly Runbook[];

  /** Builds the index; two runbooks with one id stop it with an error naming both files. */
  constructor(runbooks: readonly Runbook[]) {
    const byId = new Map<string, Runbook>();
    for (const r of runbooks) {
      const other = byId.get(r.id);
      if (other) throw new RunbookError(r.source, 'id', `"${r.id}" is already used by ${other.source}`);
      byId.set(r.id, r);
    }
    this.byId = byId;
    this.runbooks = [...runbooks].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.index = new RunbookIndex(this.runbooks);
  }

  /**
   * Full-text search over title (boosted), symptoms, patterns and body, fuzzy and by prefix.
   * `service`/`kind` boost runbooks for that service rather than excluding the others. Best first,
   * ties by id.
   */
  search(query: string, opts?: SearchOptions): RunbookHit[] {
    return this.index.search(query, opts);
  }

  get(id: string): Runbook | undefined {
    return this.byId.get(id);
  }

  /** Every runbook, by id. */
  all(): Runbook[] {
    return [...this.runbooks];
  }

  /**
   * Does runbook `runbookId` allow this plan (action listed, every parameter inside its bounds)?
   * An unknown runbook allows nothing. `none` is always allowed. The policy is a separate check.
   */
  allowsAction(runbookId: string, plan: RemediationPlan, opts?: { service?: ServiceRef }): ActionVerdict {
    const r = this.byId.get(runbookId);
    if (!r) return { allowed: false, reason: `no runbook with id "${runbookId}"` };
    return runbookAllows(r, plan, opts);
  }

  /** The runbook's safe default proposals for a service ({{service}} filled in); [] for escalate-only ones. */
  proposals(runbookId: string, service: ServiceRef): RemediationPlan[] {
    const r = this.byId.get(runbookId);
    return r ? proposalsFor(r, service) : [];
  }
}
