import type { RemediationPlan, ServiceResources } from '../domain';

/** The part of a catalog entry the target check needs (a ServiceDefinition is one). */
export interface OwnedResources {
  name: string;
  resources: ServiceResources;
}

/** Detail fields of an event that name what it is about: they must name the incident's own service. */
const NAMING_FIELDS = ['service', 'job_name', 'function_name', 'resource_id', 'cluster', 'parameter_group'];

/** Everything a service owns, by name (for event details that name a resource). */
function ownedNames(service: OwnedResources): Set<string> {
  const r = service.resources;
  return new Set(
    [
      service.name,
      ...r.functions,
      r.db_cluster,
      r.parameter_group,
      ...r.scalable_targets.map((t) => t.resource_id),
    ].filter((x): x is string => !!x),
  );
}

/**
 * Fills what a plan leaves to defaults from the catalog, never from runbook or model text: an
 * rds_parameter plan without a parameter group gets the service's own group.
 */
export function bindToService(plan: RemediationPlan, service: OwnedResources | undefined): RemediationPlan {
  if (
    plan.action === 'rds_parameter' &&
    !plan.parameters.parameter_group &&
    service?.resources.parameter_group
  )
    return {
      ...plan,
      parameters: { ...plan.parameters, parameter_group: service.resources.parameter_group },
    };
  return plan;
}

/**
 * Does the plan touch only resources of the incident's service? Returns every reason it does not;
 * [] when it does. An unknown service owns nothing.
 */
export function checkTargets(
  plan: RemediationPlan,
  serviceName: string,
  service: OwnedResources | undefined,
): string[] {
  if (plan.action === 'none') return [];
  if (!service)
    return [
      `target: service "${serviceName}" is not in the service catalog, so it owns no resources to act on`,
    ];
  const r = service.resources;
  const owns = (kind: string, list: readonly string[]) =>
    list.length ? `${serviceName} owns ${kind} ${list.join(', ')}` : `${serviceName} owns no ${kind}`;
  switch (plan.action) {
    case 'lambda_restart': {
      const f = plan.parameters.function_name;
      return r.functions.includes(f)
        ? []
        : [`target: function "${f}" does not belong to ${serviceName} (${owns('functions', r.functions)})`];
    }
    case 'rds_parameter': {
      const g = plan.parameters.parameter_group ?? r.parameter_group;
      if (!r.parameter_group) return [`target: ${serviceName} owns no parameter group`];
      return g === r.parameter_group
        ? []
        : [`target: parameter group "${g}" does not belong to ${serviceName} (it owns ${r.parameter_group})`];
    }
    case 'auto_scaling': {
      const { resource_id, resource_type } = plan.parameters;
      const t = r.scalable_targets.find((x) => x.resource_id === resource_id);
      const ids = r.scalable_targets.map((x) => x.resource_id);
      if (!t)
        return [
          `target: scalable target "${resource_id}" does not belong to ${serviceName} (${owns('scalable targets', ids)})`,
        ];
      if (resource_type === 'ecs_service' && t.service_namespace !== 'ecs')
        return [`target: "${resource_id}" is a ${t.service_namespace} target, not an ECS service`];
      return [];
    }
    case 'eventbridge_event': {
      const reasons: string[] = [];
      if (!r.event_bus) reasons.push(`target: ${serviceName} has no event bus in the catalog`);
      const names = ownedNames(service);
      for (const f of NAMING_FIELDS) {
        const v = plan.parameters.detail[f];
        if (v !== undefined && !(typeof v === 'string' && names.has(v)))
          reasons.push(
            `target: event detail ${f}=${JSON.stringify(v)} is not ${serviceName} or one of its resources`,
          );
      }
      return reasons;
    }
    case 'rds_reboot':
    case 'rds_terminate_idle_sessions': {
      const c = plan.parameters.cluster_id;
      if (!r.db_cluster) return [`target: ${serviceName} owns no database cluster`];
      return c === r.db_cluster
        ? []
        : [`target: cluster "${c}" does not belong to ${serviceName} (it owns ${r.db_cluster})`];
    }
  }
}

/** One line for the card: what the plan will touch, and whose it is. */
export function describeTarget(
  plan: RemediationPlan,
  service: OwnedResources | undefined,
): string | undefined {
  const owner = service ? ` (${service.name})` : '';
  switch (plan.action) {
    case 'none':
      return undefined;
    case 'lambda_restart':
      return `Lambda function ${plan.parameters.function_name}${owner}`;
    case 'rds_parameter': {
      const g = plan.parameters.parameter_group ?? service?.resources.parameter_group ?? '(no group)';
      const c = service?.resources.db_cluster ? ` of cluster ${service.resources.db_cluster}` : '';
      return `${plan.parameters.parameter_name} in parameter group ${g}${c}${owner}`;
    }
    case 'auto_scaling':
      return `scalable target ${plan.parameters.resource_id}${owner}`;
    case 'eventbridge_event':
      return `${plan.parameters.event_type} event on bus ${service?.resources.event_bus ?? '(none)'}${owner}`;
    case 'rds_reboot':
      return `writer instance of cluster ${plan.parameters.cluster_id}${owner}`;
    case 'rds_terminate_idle_sessions':
      return `idle sessions on cluster ${plan.parameters.cluster_id}${owner}`;
  }
}
