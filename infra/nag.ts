import { type Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/** What the stack exposes to its cdk-nag acknowledgements. */
export interface NagTargets {
  stack: Stack;
  functions: IFunction[];
  secrets: IConstruct[];
  knowledgeBase: IConstruct;
  workerDlq: IConstruct;
  rdsSecretPattern: string;
}

const IAM5 = (finding: string) => `AwsSolutions-IAM5[${finding}]`;

/**
 * cdk-nag AwsSolutions acknowledgements, each with the reason it is acceptable here. Exact finding
 * ids only (cdk-nag v3 matches them literally), so a new wildcard elsewhere still fails the check;
 * test/unit/infra also checks that no write action is allowed on `*`.
 */
export function applyNagSuppressions(t: NagTargets): void {
  const ack = (scope: IConstruct, id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });
  const s = t.stack;

  ack(
    s,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AWSLambdaBasicExecutionRole only lets a function write its own CloudWatch Logs streams.',
  );
  ack(
    s,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    'Only for the VPC-placed analysis function: ENI management Lambda needs to attach to the subnets.',
  );
  ack(
    s,
    'AwsSolutions-SF1',
    'Step Functions logs ERROR by default (context stateMachineLogLevel, ALL for debugging): ALL logs every transition with execution data, i.e. incident details, at a cost per event; the execution history keeps every transition for 90 days and the functions log each step with the incident and execution id.',
  );
  ack(
    s,
    'AwsSolutions-L1',
    'Functions target nodejs22.x, the runtime the product is built and tested for (issue 8); the BucketDeployment handler runtime is managed by aws-cdk-lib.',
  );
  ack(
    s,
    IAM5('Resource::*'),
    'Only actions AWS offers without resource-level permissions, all read-only or telemetry: cloudwatch:GetMetricData, logs:GetQueryResults/StopQuery (query ids), application-autoscaling:DescribeScalableTargets, X-Ray trace upload, Step Functions log delivery. The infra tests fail on any other action on "*".',
  );
  ack(
    s,
    IAM5('Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*'),
    'Read-only (FilterLogEvents, StartQuery) on this account and region: the watched log groups come from the service catalog, which may change without a deploy.',
  );
  ack(
    s,
    IAM5(
      'Resource::arn:<AWS::Partition>:application-autoscaling:<AWS::Region>:<AWS::AccountId>:scalable-target/*',
    ),
    'Application Auto Scaling target ARNs carry a generated id, not the ECS service: RegisterScalableTarget cannot be scoped further; the remediation policy bounds which targets the code touches.',
  );
  ack(
    s,
    IAM5(`Resource::${nagString(s, t.rdsSecretPattern)}`),
    'Secrets Manager appends a random suffix to secret ARNs: the wildcard covers only that suffix of the one unified-logs secret.',
  );
  for (const a of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'])
    ack(
      s,
      IAM5(`Action::${a}`),
      'CDK grant helpers on the knowledge-base bucket (read for the agent, sync for the deployment).',
    );
  ack(
    s,
    IAM5(`Resource::<${logicalId(s, t.knowledgeBase)}.Arn>/*`),
    'Objects of the knowledge-base bucket only (runbooks).',
  );
  ack(
    s,
    IAM5('Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*'),
    'BucketDeployment reads the knowledge-base asset from the CDK bootstrap bucket.',
  );
  for (const fn of t.functions) {
    ack(
      s,
      IAM5(`Resource::<${logicalId(s, fn)}.Arn>:*`),
      'Invoke permission on the function and its versions/aliases (CDK grantInvoke).',
    );
  }
  for (const secret of t.secrets)
    ack(
      secret,
      'AwsSolutions-SMG4',
      'Third-party credentials (Slack, Teams, Gemini) are rotated at their provider and pasted in; a rotation Lambda cannot create them.',
    );
  ack(
    t.knowledgeBase,
    'AwsSolutions-S1',
    'Holds only the runbooks from the repository, written by the deployment; reads are by the agent roles.',
  );
  ack(t.workerDlq, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the bot worker.');
}

/** The logical id a resource's `Fn::GetAtt` uses in the template. */
function logicalId(stack: Stack, c: IConstruct): string {
  const child = c.node.defaultChild ?? c;
  return stack.getLogicalId(child as Parameters<Stack['getLogicalId']>[0]);
}

/** A value as cdk-nag prints it in a finding id: `<AWS::Region>` for a Ref, `<Id.Attr>` for a GetAtt. */
export function nagString(stack: Stack, value: string): string {
  const part = (p: unknown): string => {
    if (typeof p === 'string') return p;
    const o = p as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
    if (o.Ref) return `<${o.Ref}>`;
    if (o['Fn::GetAtt']) return `<${o['Fn::GetAtt'].join('.')}>`;
    if (o['Fn::Join']) return o['Fn::Join'][1].map(part).join(o['Fn::Join'][0]);
    return JSON.stringify(p);
  };
  return part(stack.resolve(value));
}
