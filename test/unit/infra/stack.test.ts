import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createBdpApp } from '../../../infra/create-app';
import { REPO_ROOT } from '../../../infra/functions';
import { readSettings } from '../../../infra/settings';
import type { BdpAgentStack } from '../../../infra/stack';
import { TABLES } from '../../../providers/aws/dynamodb/tables';
import { envSchema, SECRET_VARIABLES } from '../../../providers/config';
import { loadPolicy, type RemediationPolicy } from '../../../providers/policy';
import { allStatements, definitionOf, flatten, type Json, list, resourcesOf } from './template-helpers';

/** Teams is deployed when its entry exists (it landed later than the rest). */
const HAS_TEAMS = existsSync(join(REPO_ROOT, 'bot/teams/lambda.ts'));
const BASE_FUNCTIONS = [
  'bdp-analysis',
  'bdp-approval',
  'bdp-approval-expiry',
  'bdp-bot-actions',
  'bdp-bot-followup',
  'bdp-bot-worker',
  'bdp-detection',
  'bdp-notify',
  'bdp-remediation',
  'bdp-slack-bot',
  ...(HAS_TEAMS ? ['bdp-teams-bot'] : []),
  'bdp-verification',
];
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const TEAMS_FIXTURE = 'test/unit/infra/fixtures/teams-lambda.ts';

function synth(context: Record<string, unknown> = {}, opts: Parameters<typeof createBdpApp>[1] = {}) {
  const app = new App({ context: { ...NO_BUNDLING, ...context } });
  const stack = createBdpApp(app, opts);
  return { app, stack, template: Template.fromStack(stack) };
}

type Fn = { Properties: Record<string, Json> };
function fnByName(template: Template, name: string): Fn {
  const f = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
    (r) => r.Properties?.FunctionName === name,
  );
  if (!f) throw new Error(`no function ${name}`);
  return f as Fn;
}
function envOf(template: Template, name: string): Record<string, Json> {
  return (fnByName(template, name).Properties.Environment as { Variables: Record<string, Json> }).Variables;
}
/** The role logical id of a function (from its Role: Fn::GetAtt [role, Arn]). */
function roleOf(template: Template, name: string): string {
  return flatten(fnByName(template, name).Properties.Role).replace(/^<|\.Arn>$/g, '');
}
function statementsOfRole(template: Template, roleId: string) {
  return allStatements(template).filter((s) => s.roles.includes(`<${roleId}>`));
}

let base: { app: App; stack: BdpAgentStack; template: Template };
let custom: { app: App; stack: BdpAgentStack; template: Template };
const customPolicy: RemediationPolicy = (() => {
  const p = structuredClone(loadPolicy());
  p.actions.lambda_restart.allowed_functions = ['orders-api'];
  p.actions.auto_scaling.targets = [
    { resource_type: 'ecs_service', resource_id: 'service/etl/loader', min_capacity: 1, max_capacity: 4 },
  ];
  p.actions.rds_parameter.parameter_groups = ['etl-pg'];
  return p;
})();

beforeAll(() => {
  base = synth();
  custom = synth(
    {
      prefix: 'acme',
      scheduleRate: '15',
      alarmEmail: 'oncall@example.com',
      vpcId: 'vpc-0123456789abcdef0',
      vpcSubnetIds: '["subnet-0123456789abcdef0","subnet-0fedcba9876543210"]',
      securityGroupIds: ['sg-0123456789abcdef0'],
      config: {
        AUTO_EXECUTE_THRESHOLD: 0.92,
        APPROVAL_THRESHOLD: '0.6',
        APPROVAL_TIMEOUT_SECONDS: 900,
        LLM_MOCK: false,
        LLM_PROVIDER: 'gemini',
        METRICS_NAMESPACE: 'AcmeBDP',
        WORKFLOW_STATE_TABLE: 'acme-workflow-state',
      },
    },
    { policy: customPolicy, entries: { teamsBot: TEAMS_FIXTURE } },
  );
}, 120_000);

describe('functions', () => {
  it.each([
    ['bdp-detection', 512, 60],
    ['bdp-analysis', 1024, 120],
    ['bdp-remediation', 512, 60],
    ['bdp-approval', 256, 30],
  ])('%s has %i MB, %i s, ARM64 and nodejs22.x', (name, memory, timeout) => {
    const p = fnByName(base.template, name).Properties;
    expect(p.MemorySize).toBe(memory);
    expect(p.Timeout).toBe(timeout);
    expect(p.Architectures).toEqual(['arm64']);
    expect(p.Runtime).toBe('nodejs22.x');
  });

  it('every function is ARM64 nodejs22.x with a log group that has a retention', () => {
    const fns = Object.values(resourcesOf(base.template, 'AWS::Lambda::Function')).filter((r) =>
      String(r.Properties?.FunctionName ?? '').startsWith('bdp-'),
    );
    expect(fns.map((f) => f.Properties?.FunctionName).sort()).toEqual(BASE_FUNCTIONS);
    for (const f of fns) {
      expect(f.Properties?.Architectures).toEqual(['arm64']);
      expect(f.Properties?.Runtime).toBe('nodejs22.x');
      expect(f.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
    }
    const groups = Object.values(resourcesOf(base.template, 'AWS::Logs::LogGroup')).map((g) => g.Properties);
    for (const f of fns)
      expect(groups).toContainEqual(
        expect.objectContaining({
          LogGroupName: `/aws/lambda/${f.Properties?.FunctionName}`,
          RetentionInDays: 30,
        }),
      );
  });

  it('runs the real providers, with thresholds from config and secrets only by ARN', () => {
    const defaults = envSchema.parse({});
    const env = envOf(base.template, 'bdp-analysis');
    expect(env.AWS_MOCK).toBe('false');
    expect(env.AUTO_EXECUTE_THRESHOLD).toBe(String(defaults.AUTO_EXECUTE_THRESHOLD));
    expect(env.APPROVAL_THRESHOLD).toBe(String(defaults.APPROVAL_THRESHOLD));
    expect(flatten(env.GEMINI_SECRET_ARN)).toMatch(/^<GeminiSecret/);
    expect(flatten(env.WORKFLOW_STATE_TABLE)).toMatch(/^<Tablesworkflowstate/);
    for (const f of Object.values(resourcesOf(base.template, 'AWS::Lambda::Function'))) {
      const vars =
        (f.Properties?.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {};
      for (const secret of SECRET_VARIABLES) expect(vars).not.toHaveProperty(secret);
    }
    expect(flatten(envOf(base.template, 'bdp-slack-bot').SLACK_SECRET_ARN)).toMatch(/^<SlackSecret/);
    expect(envOf(base.template, 'bdp-notify').BOT_WORKER_FUNCTION_NAME).toBe('bdp-bot-worker');
    expect(envOf(base.template, 'bdp-slack-bot')).toMatchObject({
      BOT_WORKER_FUNCTION_NAME: 'bdp-bot-worker',
      BOT_FOLLOWUP_FUNCTION_NAME: 'bdp-bot-followup',
      BOT_ACTIONS_FUNCTION_NAME: 'bdp-bot-actions',
    });
    expect(flatten(envOf(base.template, 'bdp-bot-worker').MAIN_STATE_MACHINE_ARN)).toBe(
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:bdp-main-workflow',
    );
  });

  it('context overrides reach the functions (validated by the product config)', () => {
    const env = envOf(custom.template, 'acme-analysis');
    expect(env.AUTO_EXECUTE_THRESHOLD).toBe('0.92');
    expect(env.LLM_MOCK).toBe('false');
    expect(env.LLM_PROVIDER).toBe('gemini');
    custom.template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'acme-workflow-state' });
    expect(() => readSettings((k) => (k === 'config' ? { APPROVAL_THRESHOLD: '0.95' } : undefined))).toThrow(
      /APPROVAL_THRESHOLD.*below AUTO_EXECUTE_THRESHOLD/,
    );
    expect(() => readSettings((k) => (k === 'scheduleRate' ? 'often' : undefined))).toThrow(
      /Invalid CDK context scheduleRate/,
    );
    expect(() => readSettings((k) => (k === 'logRetentionDays' ? 31 : undefined))).toThrow(
      /logRetentionDays: one of 1, 3, 5, 7, 14, 30/,
    );
  });

  it('the Slack and Teams entries have Function URLs with auth NONE; Teams only when its entry exists', () => {
    const urls = (t: Template) =>
      Object.values(resourcesOf(t, 'AWS::Lambda::Url')).map((u) => ({
        auth: u.Properties?.AuthType,
        target: flatten(u.Properties?.TargetFunctionArn as Json).replace(/[0-9A-F]{8}\.Arn>$/, ''),
      }));
    const slack = { auth: 'NONE', target: '<FunctionsslackBot' };
    const teams = { auth: 'NONE', target: '<FunctionsteamsBot' };
    expect(urls(base.template)).toEqual(HAS_TEAMS ? [slack, teams] : [slack]);
    expect(urls(custom.template)).toEqual([slack, teams]);
    expect(fnByName(custom.template, 'acme-teams-bot').Properties.Runtime).toBe('nodejs22.x');
    const withoutTeams = synth({}, { entries: { teamsBot: 'bot/teams/not-written-yet.ts' } });
    expect(urls(withoutTeams.template)).toEqual([slack]);
    expect(() => fnByName(withoutTeams.template, 'bdp-teams-bot')).toThrow(/no function/);
  });

  it.each(['botWorker', 'botFollowup', 'botActions'])(
    'the bot worker %s sends failed async invocations to the DLQ after two retries',
    (key) => {
      base.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: Match.stringLikeRegexp(`^Functions${key}`) },
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BotWorkerDlq'), 'Arn'] } },
        },
      });
    },
  );

  it('only the analysis function is placed in the VPC given by context', () => {
    expect(fnByName(custom.template, 'acme-analysis').Properties.VpcConfig).toEqual({
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(fnByName(custom.template, 'acme-detection').Properties.VpcConfig).toBeUndefined();
    expect(fnByName(base.template, 'bdp-analysis').Properties.VpcConfig).toBeUndefined();
  });
});

describe('tables', () => {
  it.each(Object.values(TABLES))('$key: keys, TTL on $ttl_attribute, on-demand, encrypted, PITR', (def) => {
    const name = envSchema.parse({})[def.config_name];
    base.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: name,
      KeySchema: [
        { AttributeName: def.partition_key, KeyType: 'HASH' },
        ...(def.sort_key ? [{ AttributeName: def.sort_key, KeyType: 'RANGE' }] : []),
      ],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('has the three tables of the design plus agent memory', () => {
    const names = Object.values(resourcesOf(base.template, 'AWS::DynamoDB::Table')).map(
      (t) => t.Properties?.TableName,
    );
    expect(names.sort()).toEqual([
      'bdp-agent-memory',
      'bdp-anomaly-tracking',
      'bdp-remediation-history',
      'bdp-workflow-state',
    ]);
  });
});

describe('state machines', () => {
  const routeOf = (def: Record<string, Json>) => {
    const map = (
      def.States as Record<string, { ItemProcessor?: { States: Record<string, { Choices?: Json[] }> } }>
    ).ProcessIncidents;
    return map.ItemProcessor!.States;
  };

  it('the Choice thresholds equal the config the code routes with', () => {
    const defaults = envSchema.parse({});
    const route = routeOf(definitionOf(base.template, 'bdp-main-workflow')).Route!.Choices as {
      NumericGreaterThanEquals?: number;
      Next: string;
    }[];
    expect(route.find((c) => c.Next === 'Execute')?.NumericGreaterThanEquals).toBe(
      defaults.AUTO_EXECUTE_THRESHOLD,
    );
    expect(
      route.find((c) => c.Next === 'RequestApproval' && c.NumericGreaterThanEquals !== undefined)
        ?.NumericGreaterThanEquals,
    ).toBe(defaults.APPROVAL_THRESHOLD);
  });

  it('follows context overrides of the thresholds and the approval timeout', () => {
    const states = routeOf(definitionOf(custom.template, 'acme-main-workflow'));
    const route = states.Route!.Choices as { NumericGreaterThanEquals?: number; Next: string }[];
    expect(route.find((c) => c.Next === 'Execute')?.NumericGreaterThanEquals).toBe(0.92);
    expect(
      route.find((c) => c.Next === 'RequestApproval' && c.NumericGreaterThanEquals !== undefined)
        ?.NumericGreaterThanEquals,
    ).toBe(0.6);
    expect((states.RequestApproval as { TimeoutSeconds?: number }).TimeoutSeconds).toBe(900);
  });

  it('tasks call the deployed functions', () => {
    const def = definitionOf(base.template, 'bdp-main-workflow');
    expect((def.States as Record<string, { Resource?: string }>).Detect?.Resource).toMatch(
      /^<Functionsdetection.*\.Arn>$/,
    );
    const s = routeOf(def) as Record<string, { Resource?: string; Parameters?: { FunctionName?: string } }>;
    expect(s.Analyze?.Resource).toMatch(/^<Functionsanalysis.*\.Arn>$/);
    expect(s.Execute?.Resource).toMatch(/^<Functionsremediation.*\.Arn>$/);
    expect(s.Verify?.Resource).toMatch(/^<Functionsverification.*\.Arn>$/);
    expect(s.RequestApproval?.Parameters?.FunctionName).toMatch(/^<Functionsapproval[0-9A-F]+\.Arn>$/);
    const approval = definitionOf(base.template, 'bdp-approval-workflow');
    expect(approval.StartAt).toBe('RequestApproval');
  });

  it('both machines log errors only, without execution data, and trace with X-Ray', () => {
    for (const name of ['bdp-main-workflow', 'bdp-approval-workflow'])
      base.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: name,
        LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
        TracingConfiguration: { Enabled: true },
      });
  });

  it('context stateMachineLogLevel=ALL logs every transition with execution data; a bad level stops the synth', () => {
    const all = synth({ stateMachineLogLevel: 'ALL' });
    all.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'bdp-main-workflow',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
    expect(() => synth({ stateMachineLogLevel: 'VERBOSE' })).toThrow(/stateMachineLogLevel/);
  });
});

describe('schedule', () => {
  it('EventBridge Scheduler starts the main workflow every 5 minutes by default', () => {
    base.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^WorkflowsMain') },
        // A valid detect input (pipeline/detection DetectInput): every service.
        Input: JSON.stringify({ requested_by: 'eventbridge-scheduler' }),
      }),
    });
  });

  it('follows context scheduleRate, and scheduleEnabled=false removes it (MWAA schedules instead)', () => {
    custom.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
    });
    const off = synth({ scheduleEnabled: 'false' });
    off.template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('alarms and dashboard', () => {
  type Alarm = {
    AlarmName: string;
    Threshold: number;
    ComparisonOperator: string;
    AlarmActions: Json[];
    Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
    MetricName?: string;
    Namespace?: string;
    Dimensions?: { Name: string; Value: string }[];
  };
  const alarms = (t: Template) =>
    Object.values(resourcesOf(t, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties as unknown as Alarm);

  it('Lambda error rate > 5 % for every function, as errors/invocations metric math', () => {
    const rate = alarms(base.template).filter((a) => a.AlarmName.endsWith('-error-rate'));
    expect(rate.map((a) => a.AlarmName.replace(/-error-rate$/, '')).sort()).toEqual(BASE_FUNCTIONS);
    for (const a of rate) {
      expect(a.Threshold).toBe(5);
      expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
      const names = a.Metrics!.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort();
      expect(names).toEqual(['Errors', 'Invocations']);
      expect(a.Metrics!.find((m) => m.Expression)?.Expression).toContain('100 * errors / invocations');
    }
  });

  it('Step Functions failed executions > 10 % for both machines', () => {
    const failed = alarms(base.template).filter((a) => a.AlarmName.endsWith('-failed-executions'));
    expect(failed.map((a) => a.AlarmName).sort()).toEqual([
      'bdp-approval-workflow-failed-executions',
      'bdp-main-workflow-failed-executions',
    ]);
    for (const a of failed) {
      expect(a.Threshold).toBe(10);
      const names = a.Metrics!.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])).sort();
      expect(names).toEqual(['ExecutionsFailed', 'ExecutionsStarted']);
    }
  });

  it('LLM latency > 10 s on the agent metric, in the configured namespace and provider', () => {
    const llm = alarms(base.template).find((a) => a.AlarmName === 'bdp-llm-latency')!;
    expect(llm).toMatchObject({ MetricName: 'LLMLatency', Namespace: 'BDPAgent', Threshold: 10_000 });
    expect(llm.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'service', Value: 'bdp-agent' },
        { Name: 'provider', Value: 'mock' },
      ]),
    );
    const acme = alarms(custom.template).find((a) => a.AlarmName === 'acme-llm-latency')!;
    expect(acme).toMatchObject({ Namespace: 'AcmeBDP' });
    expect(acme.Dimensions).toContainEqual({ Name: 'provider', Value: 'gemini' });
  });

  it('a job in the bot worker DLQ alarms, and every Remediation Failed event reaches the alarm topic', () => {
    const dlq = alarms(base.template).find((a) => a.AlarmName === 'bdp-bot-worker-dlq')!;
    expect(dlq).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const topic = Object.keys(resourcesOf(base.template, 'AWS::SNS::Topic'))[0]!;
    base.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['bdp.agent'], 'detail-type': ['Remediation Failed'] },
      Targets: Match.arrayWith([Match.objectLike({ Arn: { Ref: topic } })]),
    });
    const body = flatten(
      Object.values(resourcesOf(base.template, 'AWS::CloudWatch::Dashboard'))[0]!.Properties!
        .DashboardBody as Json,
    );
    for (const m of [
      'IncidentsOpened',
      'TimeToApprovalSeconds',
      'TimeToRecoverySeconds',
      'ChatDeliveryFailures',
    ])
      expect(body).toContain(m);
  });

  it("the remediation role may reboot only the policy's instances and end sessions on its clusters", () => {
    const st = allStatements(base.template).map((x) => x.st);
    const reboot = st.find((s) => list(s.Action).includes('rds:RebootDBInstance'))!;
    expect(flatten(reboot.Resource as Json)).toContain('db:orders-db-instance-1');
    expect(flatten(reboot.Resource as Json)).not.toContain('db:*');
    expect(
      st.some(
        (s) => list(s.Action).includes('rds-data:ExecuteStatement') && s.Sid === 'EndIdleSessionsDataApi',
      ),
    ).toBe(true);
  });

  it('every alarm notifies the SNS topic; the email subscription comes from context', () => {
    const topic = Object.keys(resourcesOf(base.template, 'AWS::SNS::Topic'))[0];
    for (const a of alarms(base.template)) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
    base.template.resourceCountIs('AWS::SNS::Subscription', 0);
    custom.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('the dashboard shows anomalies, incidents by route, auto-remediation success, LLM latency and tokens', () => {
    const d = Object.values(resourcesOf(base.template, 'AWS::CloudWatch::Dashboard'))[0]!;
    const body = flatten(d.Properties!.DashboardBody as Json);
    for (const title of [
      'Anomalies detected',
      'Incidents by route',
      'Auto-remediation success rate',
      'LLM latency (ms)',
      'LLM tokens (cost trend)',
    ])
      expect(body).toContain(title);
    for (const metric of [
      'AnomaliesDetected',
      'IncidentsRouted',
      'AutoRemediationSucceeded',
      'LLMLatency',
      'LLMTokens',
    ])
      expect(body).toContain(`MetricName=\\"${metric}\\"`);
  });
});

describe('IAM least privilege', () => {
  // Actions AWS offers only on "*" (no resource-level permissions): read-only, or telemetry plumbing.
  const UNSCOPABLE = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
    'logs:StopQuery',
  ]);
  const isRead = (action: string) => /^[a-z0-9-]+:(Get|Describe|List)[A-Za-z]*$/.test(action);

  it.each([
    ['default', () => base.template],
    ['custom', () => custom.template],
  ])('no statement allows a write action on "*" (%s)', (_n, t) => {
    const offending = allStatements(t())
      .filter(({ st }) => st.Effect === 'Allow' && list(st.Resource).some((r) => r === '*'))
      .flatMap(({ owner, st }) => list(st.Action).map((a) => ({ owner, action: a })))
      .filter(({ action }) => !isRead(action) && !UNSCOPABLE.has(action));
    expect(offending).toEqual([]);
    // And no service-wide action wildcards at all.
    const wild = allStatements(t()).flatMap(({ st }) =>
      list(st.Action).filter((a) => /:\*$/.test(a) || a === '*'),
    );
    expect(wild).toEqual([]);
  });

  it('the remediation role may change only the targets in the remediation policy', () => {
    const policy = loadPolicy();
    const sts = statementsOfRole(base.template, roleOf(base.template, 'bdp-remediation'));
    const resourcesFor = (action: string) =>
      sts
        .filter(({ st }) => list(st.Action).includes(action))
        .flatMap(({ st }) => list(st.Resource).map(flatten));
    expect(resourcesFor('lambda:UpdateFunctionConfiguration').sort()).toEqual(
      policy.actions.lambda_restart.allowed_functions
        .map((f) => `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${f}`)
        .sort(),
    );
    expect(resourcesFor('ecs:UpdateService').sort()).toEqual(
      policy.actions.auto_scaling.targets
        .map((t) => `arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:${t.resource_id}`)
        .sort(),
    );
    expect(resourcesFor('rds:ModifyDBParameterGroup')).toEqual(
      policy.actions.rds_parameter.parameter_groups.map(
        (g) => `arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:pg:${g}`,
      ),
    );
    expect(resourcesFor('events:PutEvents')).toEqual([expect.stringMatching(/^<Events[0-9A-F]+\.Arn>$/)]);
  });

  it('a different policy file gives a different reach', () => {
    const sts = statementsOfRole(custom.template, roleOf(custom.template, 'acme-remediation'));
    const resources = sts
      .filter(({ st }) => list(st.Action).some((a) => /^(lambda:Update|ecs:Update|rds:Modify)/.test(a)))
      .flatMap(({ st }) => list(st.Resource).map(flatten))
      .sort();
    expect(resources).toEqual([
      'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service/etl/loader',
      'arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:orders-api',
      'arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:cluster-pg:etl-pg',
      'arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:pg:etl-pg',
    ]);
  });

  it('only the remediation function and the actions worker (rollbacks) can change platform resources', () => {
    const changers = new Set(
      allStatements(base.template)
        .filter(({ st }) =>
          list(st.Action).some((a) =>
            /^(lambda:UpdateFunctionConfiguration|ecs:UpdateService|rds:Modify)/.test(a),
          ),
        )
        .flatMap(({ roles }) => roles),
    );
    expect([...changers].sort()).toEqual(
      [
        `<${roleOf(base.template, 'bdp-remediation')}>`,
        `<${roleOf(base.template, 'bdp-bot-actions')}>`,
      ].sort(),
    );
  });

  /** Every action a function's role allows, with the resources (flattened) each applies to. */
  const grantsOf = (name: string) =>
    statementsOfRole(base.template, roleOf(base.template, name)).flatMap(({ st }) =>
      list(st.Action).map((action) => ({ action, resources: list(st.Resource).map(flatten) })),
    );
  const actionsOf = (name: string) => new Set(grantsOf(name).map((g) => g.action));
  const readsSecret = (name: string, secret: RegExp) =>
    grantsOf(name).some(
      (g) => g.action === 'secretsmanager:GetSecretValue' && g.resources.some((r) => secret.test(r)),
    );
  const writesTable = (name: string, table: RegExp) =>
    grantsOf(name).some((g) => g.action === 'dynamodb:PutItem' && g.resources.some((r) => table.test(r)));
  const REMEDIATION_WRITES =
    /^(lambda:UpdateFunctionConfiguration|ecs:UpdateService|rds:Modify|application-autoscaling:RegisterScalableTarget)/;

  it('the follow-up worker (the agent on chat text) is read-only: no SendTask, no remediation, no incident writes', () => {
    const a = actionsOf('bdp-bot-followup');
    expect(a.has('cloudwatch:GetMetricData')).toBe(true);
    expect(readsSecret('bdp-bot-followup', /^<GeminiSecret/)).toBe(true);
    expect([...a].filter((x) => x.startsWith('states:'))).toEqual([]);
    expect([...a].filter((x) => REMEDIATION_WRITES.test(x) || x === 'events:PutEvents')).toEqual([]);
    expect(writesTable('bdp-bot-followup', /^<Tablesworkflowstate/)).toBe(false);
    expect(writesTable('bdp-bot-followup', /^<Tablesremediationhistory/)).toBe(false);
    expect(writesTable('bdp-bot-followup', /^<Tablesagentmemory/)).toBe(true);
  });

  it('the actions worker may resume the workflow and roll back, but holds no LLM key and reads no telemetry', () => {
    const a = actionsOf('bdp-bot-actions');
    expect(a.has('states:SendTaskSuccess') && a.has('states:SendTaskFailure')).toBe(true);
    expect([...a].some((x) => REMEDIATION_WRITES.test(x))).toBe(true);
    expect(readsSecret('bdp-bot-actions', /^<GeminiSecret/)).toBe(false);
    expect(a.has('cloudwatch:GetMetricData') || a.has('rds-data:ExecuteStatement')).toBe(false);
    expect(writesTable('bdp-bot-actions', /^<Tablesagentmemory/)).toBe(false);
  });

  it('the cards worker and the Slack entry neither decide nor act: no SendTask, no remediation, no LLM key', () => {
    for (const name of ['bdp-bot-worker', 'bdp-slack-bot']) {
      const a = actionsOf(name);
      expect({ name, sendTask: [...a].filter((x) => x.startsWith('states:SendTask')) }).toEqual({
        name,
        sendTask: [],
      });
      expect([...a].filter((x) => REMEDIATION_WRITES.test(x))).toEqual([]);
      expect(readsSecret(name, /^<GeminiSecret/)).toBe(false);
    }
  });

  it('the Slack entry reads no table: it verifies, acks, and invokes the workers with the Slack secret', () => {
    const a = [...actionsOf('bdp-slack-bot')];
    expect(a.filter((x) => x.startsWith('dynamodb:'))).toEqual([]);
    expect(a).toEqual(expect.arrayContaining(['lambda:InvokeFunction', 'secretsmanager:GetSecretValue']));
    expect(readsSecret('bdp-slack-bot', /^<SlackSecret/)).toBe(true);
    expect(readsSecret('bdp-slack-bot', /^<TeamsSecret/)).toBe(false);
  });

  it('lambda:GetFunctionConfiguration only on catalogued functions, never function:*', () => {
    const grants = allStatements(base.template).filter(({ st }) =>
      list(st.Action).includes('lambda:GetFunctionConfiguration'),
    );
    const resources = grants.flatMap(({ st }) => list(st.Resource).map(flatten));
    expect(resources.some((r) => r.endsWith('function:*'))).toBe(false);
    expect([...new Set(resources)].sort()).toEqual(
      ['ingest-worker', 'payments-api'].map(
        (f) => `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${f}`,
      ),
    );
    // The agent's two functions, and the two remediators (restart targets of the policy, via their statements).
    const holders = new Set(grants.flatMap(({ roles }) => roles));
    expect([...holders].sort()).toEqual(
      ['bdp-analysis', 'bdp-bot-followup', 'bdp-remediation', 'bdp-bot-actions']
        .map((n) => `<${roleOf(base.template, n)}>`)
        .sort(),
    );
  });

  it('the detection role reads telemetry and writes only the tables it uses', () => {
    const sts = statementsOfRole(base.template, roleOf(base.template, 'bdp-detection'));
    const actions = sts.flatMap(({ st }) => list(st.Action));
    expect(actions).toEqual(
      expect.arrayContaining(['cloudwatch:GetMetricData', 'rds-data:ExecuteStatement']),
    );
    expect(
      actions.some((a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetSecretValue'),
    ).toBe(false);
    const tables = sts
      .filter(({ st }) => list(st.Action).includes('dynamodb:PutItem'))
      .flatMap(({ st }) => list(st.Resource).map(flatten));
    expect(tables.filter((r) => !r.includes('/index/')).sort()).toEqual([
      expect.stringMatching(/^<Tablesanomalytracking/),
      expect.stringMatching(/^<Tablesworkflowstate/),
    ]);
  });
});

describe('knowledge base, events and secrets', () => {
  it('deploys knowledge-base/ into an encrypted, private bucket the agent reads', () => {
    base.template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    base.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(flatten(envOf(base.template, 'bdp-analysis').KNOWLEDGE_BASE_BUCKET)).toMatch(/^<KnowledgeBase/);
  });

  it('creates the event bus and the Slack, Teams and Gemini secrets', () => {
    base.template.hasResourceProperties('AWS::Events::EventBus', {
      Name: envSchema.parse({}).EVENT_BUS_NAME,
    });
    const names = Object.values(resourcesOf(base.template, 'AWS::SecretsManager::Secret')).map(
      (s) => s.Properties?.Name,
    );
    expect(names.sort()).toEqual(['bdp/gemini', 'bdp/slack', 'bdp/teams']);
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions finds nothing unacknowledged (every acknowledgement has a reason)', () => {
    for (const s of [base, custom]) {
      const report = new AwsSolutionsChecks(s.app).validateScope(s.app);
      const found = report.violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
      );
      expect(found).toEqual([]);
    }
  });
});
