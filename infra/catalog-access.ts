import type { ServiceCatalog } from '../providers/domain';
import type { RemediationPolicy } from '../providers/policy';

/**
 * The Lambda functions the agent may read the configuration of ("what changed"): the catalog's
 * Lambda services, every `FunctionName` its metrics name, and the functions the remediation policy
 * may restart. The one place IAM learns function names from the catalog: when the catalog lists its
 * resources explicitly (`resources.functions`), read them here.
 */
export function catalogFunctionNames(services: ServiceCatalog, policy: RemediationPolicy): string[] {
  const names = new Set<string>();
  for (const s of services) {
    if (s.kind === 'lambda') names.add(s.name);
    for (const m of s.metrics ?? []) {
      const fn = m.dimensions?.FunctionName;
      if (fn) names.add(fn);
    }
  }
  for (const fn of policy.actions.lambda_restart.allowed_functions) names.add(fn);
  return [...names].sort();
}
