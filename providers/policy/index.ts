import policyJson from './remediation-policy.json';
import { RemediationPolicy } from './schema';

export {
  checkPlan,
  desiredCapacity,
  evaluatePlan,
  type PlanEvaluation,
  type PolicyContext,
  type PolicyVerdict,
  type RouteCap,
  requiresApproval,
} from './check';
export { RemediationPolicy } from './schema';
export { bindToService, checkTargets, describeTarget, type OwnedResources } from './targets';
export { canonicalInteger, parsePlainInteger, readCurrentValue } from './values';

/** Validates a policy document; a bad one stops start-up naming the field. */
export function parsePolicy(doc: unknown): RemediationPolicy {
  const r = RemediationPolicy.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`Invalid remediation policy at ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}

let cached: RemediationPolicy | undefined;
/** The policy versioned in the repo (bundled into each Lambda that needs it). */
export function loadPolicy(): RemediationPolicy {
  cached ??= parsePolicy(policyJson);
  return cached;
}
