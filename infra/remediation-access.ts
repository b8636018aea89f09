import { Aws } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RemediationPolicy } from '../providers/policy';

export interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

/** The stack's own partition/region/account tokens (resolved by CloudFormation at deploy). */
export const STACK_SCOPE: ArnScope = {
  partition: Aws.PARTITION,
  region: Aws.REGION,
  account: Aws.ACCOUNT_ID,
};

export interface RemediationTargets {
  lambdaFunctions: string[];
  /** Instance parameter groups (`pg:`) and cluster parameter groups (`cluster-pg:`): the policy names a group, not its kind. */
  dbParameterGroups: string[];
  dbClusterParameterGroups: string[];
  ecsServices: string[];
  /** Application Auto Scaling ARNs carry a generated id, not the resource: scoped to the account. */
  scalableTargets: string[];
  /** rds_reboot: the clusters (to find the writer) and the instances that may be rebooted. */
  dbClusters: string[];
  dbInstances: string[];
  /** rds_terminate_idle_sessions: the Data API clusters and their credentials' secrets. */
  dataApiClusters: string[];
  dataApiSecrets: string[];
}

/** Where a policy cluster without its own Data API target is reached (the stack's unified-log cluster). */
export interface DataApiDefaults {
  clusterArn: string;
  /** Already in resource form (a secret ARN ends with a random suffix: `…-*`). */
  secretResource: string;
}

/**
 * The ARNs the remediation policy allows actions on, and nothing else: the IAM role can only touch
 * what `checkPlan` could ever approve.
 */
export function remediationTargets(
  policy: RemediationPolicy,
  s: ArnScope,
  dataApi?: DataApiDefaults,
): RemediationTargets {
  const base = (service: string) => `arn:${s.partition}:${service}:${s.region}:${s.account}`;
  const a = policy.actions;
  const ecs = a.auto_scaling.targets.filter((t) => t.resource_type === 'ecs_service');
  const scalable = a.auto_scaling.targets.length > 0;
  return {
    lambdaFunctions: a.lambda_restart.allowed_functions.map((f) => `${base('lambda')}:function:${f}`),
    dbParameterGroups: a.rds_parameter.parameter_groups.map((g) => `${base('rds')}:pg:${g}`),
    dbClusterParameterGroups: a.rds_parameter.parameter_groups.map((g) => `${base('rds')}:cluster-pg:${g}`),
    // resource_id "service/<cluster>/<service>" is also the tail of the ECS service ARN.
    ecsServices: ecs.map((t) => `${base('ecs')}:${t.resource_id}`),
    scalableTargets: scalable ? [`${base('application-autoscaling')}:scalable-target/*`] : [],
    dbClusters: (a.rds_reboot?.clusters ?? []).map((c) => `${base('rds')}:cluster:${c.cluster_id}`),
    dbInstances: (a.rds_reboot?.clusters ?? []).flatMap((c) =>
      c.instance_ids.map((i) => `${base('rds')}:db:${i}`),
    ),
    dataApiClusters: [
      ...new Set(
        (a.rds_terminate_idle_sessions?.clusters ?? []).flatMap((c) =>
          c.resource_arn ? [c.resource_arn] : dataApi ? [dataApi.clusterArn] : [],
        ),
      ),
    ],
    dataApiSecrets: [
      ...new Set(
        (a.rds_terminate_idle_sessions?.clusters ?? []).flatMap((c) =>
          c.secret_arn ? [`${c.secret_arn}*`] : dataApi ? [dataApi.secretResource] : [],
        ),
      ),
    ],
  };
}

/**
 * The statements of the remediation role (and of the bot worker, which runs rollbacks): read and
 * change exactly the policy's targets. Empty target lists produce no statement.
 */
export function remediationStatements(t: RemediationTargets): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  const allow = (sid: string, actions: string[], resources: string[]) => {
    if (resources.length > 0)
      out.push(new PolicyStatement({ sid, effect: Effect.ALLOW, actions, resources }));
  };
  allow(
    'RestartPolicyFunctions',
    ['lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration'],
    t.lambdaFunctions,
  );
  allow(
    'TunePolicyDbParameterGroups',
    ['rds:DescribeDBParameters', 'rds:ModifyDBParameterGroup'],
    t.dbParameterGroups,
  );
  allow(
    'TunePolicyDbClusterParameterGroups',
    ['rds:DescribeDBClusterParameters', 'rds:ModifyDBClusterParameterGroup'],
    t.dbClusterParameterGroups,
  );
  // A reboot reads the cluster to find its writer, then reboots only instances the policy names.
  allow('DescribePolicyDbClusters', ['rds:DescribeDBClusters'], t.dbClusters);
  allow('RebootPolicyDbInstances', ['rds:DescribeDBInstances', 'rds:RebootDBInstance'], t.dbInstances);
  allow('EndIdleSessionsDataApi', ['rds-data:ExecuteStatement'], t.dataApiClusters);
  allow('EndIdleSessionsSecret', ['secretsmanager:GetSecretValue'], t.dataApiSecrets);
  allow('ScalePolicyEcsServices', ['ecs:DescribeServices', 'ecs:UpdateService'], t.ecsServices);
  allow('ScalePolicyTargets', ['application-autoscaling:RegisterScalableTarget'], t.scalableTargets);
  if (t.scalableTargets.length > 0) {
    // DescribeScalableTargets has no resource-level permissions; it only reads.
    allow('ReadScalableTargets', ['application-autoscaling:DescribeScalableTargets'], ['*']);
  }
  return out;
}
