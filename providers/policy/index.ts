import policyJson from './remediation-policy.json';
import { RemediationPolicy } from './schema';

export {
  checkPlan,
  desiredCapacity,
  type PolicyContext,
  type PolicyVerdict,
  requiresApproval,
} from './check';
export { RemediationPolicy } from './schema';

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
