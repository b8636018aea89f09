import { join } from 'node:path';
import {
  Annotations,
  ArnFormat,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLES } from '../providers/aws/dynamodb/tables';
import { type Config, loadServices } from '../providers/config';
import { loadPolicy, type RemediationPolicy } from '../providers/policy';
import { catalogFunctionNames } from './catalog-access';
import { BdpFunctions, REPO_ROOT } from './functions';
import { type FunctionKey, functionSpec } from './functions-spec';
import { BdpMonitoring } from './monitoring';
import { applyNagSuppressions } from './nag';
import { remediationStatements, remediationTargets, STACK_SCOPE } from './remediation-access';
import type { InfraSettings } from './settings';
import { BdpStateMachines } from './state-machines';
import { BdpTables } from './tables';

export interface BdpAgentStackProps extends StackProps {
  settings: InfraSettings;
  /** Defaults to the repository's remediation-policy.json (the one the functions bundle). */
  policy?: RemediationPolicy;
  /** Entry-file overrides (tests). */
  entries?: Partial<Record<FunctionKey, string>>;
}

/** The product's environment variables every function gets (secrets by ARN only, never by value). */
function sharedEnvironment(c: Config): Record<string, string> {
  const env: Record<string, string> = {
    AWS_MOCK: 'false',
    LLM_MOCK: String(c.LLM_MOCK),
    LLM_PROVIDER: c.LLM_PROVIDER,
    VLLM_BASE_URL: c.VLLM_BASE_URL,
    VLLM_MODEL_NAME: c.VLLM_MODEL_NAME,
    GEMINI_MODEL_ID: c.GEMINI_MODEL_ID,
    LLM_TIMEOUT_MS: String(c.LLM_TIMEOUT_MS),
    LLM_MAX_RETRIES: String(c.LLM_MAX_RETRIES),
    RDS_DATABASE: c.RDS_DATABASE,
    UNIFIED_LOG_TABLE: c.UNIFIED_LOG_TABLE,
    METRICS_NAMESPACE: c.METRICS_NAMESPACE,
    AUTO_EXECUTE_THRESHOLD: String(c.AUTO_EXECUTE_THRESHOLD),
    APPROVAL_THRESHOLD: String(c.APPROVAL_THRESHOLD),
    MAX_ITERATIONS: String(c.MAX_ITERATIONS),
    MAX_REPLANS: String(c.MAX_REPLANS),
    DETECTION_WINDOW_MINUTES: String(c.DETECTION_WINDOW_MINUTES),
    BASELINE_WINDOW_MINUTES: String(c.BASELINE_WINDOW_MINUTES),
    DEDUP_WINDOW_MINUTES: String(c.DEDUP_WINDOW_MINUTES),
    APPROVAL_TIMEOUT_SECONDS: String(c.APPROVAL_TIMEOUT_SECONDS),
    VERIFY_WAIT_SECONDS: String(c.VERIFY_WAIT_SECONDS),
    REMEDIATION_DRY_RUN: String(c.REMEDIATION_DRY_RUN),
    SLACK_CHANNEL_ID: c.SLACK_CHANNEL_ID,
    SLACK_API_URL: c.SLACK_API_URL,
    SLACK_APPROVERS: c.SLACK_APPROVERS.join(','),
    TEAMS_APPROVERS: c.TEAMS_APPROVERS.join(','),
    TEAMS_TENANT_ID: c.TEAMS_TENANT_ID,
    MicrosoftAppId: c.MicrosoftAppId,
    MicrosoftAppTenantId: c.MicrosoftAppTenantId,
    MicrosoftAppType: c.MicrosoftAppType,
    LOG_LEVEL: c.LOG_LEVEL,
    CONSOLE_BASE_URL: c.CONSOLE_BASE_URL,
  };
  if (c.GEMINI_BASE_URL) env.GEMINI_BASE_URL = c.GEMINI_BASE_URL;
  if (c.SLACK_ONCALL_GROUP) env.SLACK_ONCALL_GROUP = c.SLACK_ONCALL_GROUP;
  if (c.SERVICES_FILE) env.SERVICES_FILE = c.SERVICES_FILE;
  // Lambda's runtime reserves AWS_REGION and sets it itself; the empty ones would only mean "unset".
  for (const k of Object.keys(env)) if (env[k] === '') delete env[k];
  return env;
}

/**
 * BDP Agent in one stack: tables, secrets, knowledge-base bucket, event bus, the Lambda functions,
 * the two state machines, the schedule, least-privilege IAM, alarms and a dashboard. Synthesises
 * offline: nothing is looked up, every external id comes from context.
 */
export class BdpAgentStack extends Stack {
  readonly tables: BdpTables;
  readonly functions: BdpFunctions;
  readonly workflows: BdpStateMachines;
  readonly monitoring: BdpMonitoring;
  readonly bus: EventBus;
  readonly knowledgeBase: Bucket;
  readonly workerDlq: Queue;
  readonly schedule?: Schedule;

  constructor(scope: Construct, id: string, props: BdpAgentStackProps) {
    super(scope, id, props);
    const s = props.settings;
    const c = s.appConfig;
    const p = s.prefix;
    const retention = s.logRetentionDays as RetentionDays;

    this.tables = new BdpTables(this, 'Tables', c);
    this.bus = new EventBus(this, 'Events', { eventBusName: c.EVENT_BUS_NAME });

    // Secrets: created empty-ish (a generated value) and filled after deploy, or an existing one by ARN.
    const secret = (sid: string, name: string, arn: string | undefined, what: string): ISecret =>
      arn
        ? Secret.fromSecretCompleteArn(this, sid, arn)
        : new Secret(this, sid, {
            secretName: `${p}/${name}`,
            description: `BDP Agent: ${what} (set after deploy)`,
          });
    const slackSecret = secret(
      'SlackSecret',
      'slack',
      c.SLACK_SECRET_ARN,
      'Slack {"signing_secret","bot_token"} JSON',
    );
    const teamsSecret = secret(
      'TeamsSecret',
      'teams',
      c.TEAMS_SECRET_ARN,
      'Teams {"MicrosoftAppPassword"} JSON',
    );
    const geminiSecret = secret('GeminiSecret', 'gemini', c.GEMINI_SECRET_ARN, 'Gemini API key');

    // Unified logs live in the platform's own Aurora cluster: referenced, not created.
    const rdsClusterArn =
      c.RDS_CLUSTER_ARN ??
      `arn:${Aws.PARTITION}:rds:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster:${p}-unified-logs`;
    const rdsSecretArn =
      c.RDS_SECRET_ARN ??
      `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${p}/unified-logs`;
    if (!c.RDS_CLUSTER_ARN || !c.RDS_SECRET_ARN)
      Annotations.of(this).addWarningV2(
        'bdp:rds-placeholder',
        'RDS_CLUSTER_ARN / RDS_SECRET_ARN not in context "config": placeholder ARNs are used; set them before deploying.',
      );

    this.knowledgeBase = new Bucket(this, 'KnowledgeBase', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new BucketDeployment(this, 'KnowledgeBaseFiles', {
      sources: [Source.asset(join(REPO_ROOT, 'knowledge-base'))],
      destinationBucket: this.knowledgeBase,
      prune: true,
    });

    const environment = {
      ...sharedEnvironment(c),
      ...Object.fromEntries(
        Object.values(TABLES).map((d) => [d.config_name, this.tables.byKey[d.key].tableName]),
      ),
      EVENT_BUS_NAME: this.bus.eventBusName,
      RDS_CLUSTER_ARN: rdsClusterArn,
      RDS_SECRET_ARN: rdsSecretArn,
      KNOWLEDGE_BASE_BUCKET: this.knowledgeBase.bucketName,
      // Every function validates the config at start: with Gemini the key's secret must be named.
      GEMINI_SECRET_ARN: geminiSecret.secretArn,
    };

    const vpcPlacement =
      s.vpcId && s.vpcSubnetIds.length > 0
        ? {
            analysis: {
              vpc: Vpc.fromVpcAttributes(this, 'AnalysisVpc', {
                vpcId: s.vpcId,
                availabilityZones: Stack.of(this).availabilityZones,
              }),
              subnets: { subnets: s.vpcSubnetIds.map((id) => Subnet.fromSubnetId(this, `Subnet-${id}`, id)) },
              securityGroups: s.securityGroupIds.map((id) =>
                SecurityGroup.fromSecurityGroupId(this, `Sg-${id}`, id),
              ),
            },
          }
        : undefined;

    this.functions = new BdpFunctions(this, 'Functions', {
      prefix: p,
      environment,
      logRetention: retention,
      vpc: vpcPlacement,
      entries: props.entries,
    });
    const fns = this.functions;
    const worker = fns.get('botWorker');
    const workers = [worker, fns.get('botFollowup'), fns.get('botActions')];
    // Physical names, not references: the workers name each other (forwarding, notices), and a
    // reference both ways would be a dependency cycle.
    const nameOf = (key: FunctionKey) => `${p}-${functionSpec(key).suffix}`;

    // The bot workers: invoked asynchronously; after Lambda's retries a failed job lands in the DLQ.
    this.workerDlq = new Queue(this, 'BotWorkerDlq', {
      queueName: `${p}-bot-worker-dlq`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const w of workers)
      w.configureAsyncInvoke({
        onFailure: new SqsDestination(this.workerDlq),
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      });

    this.workflows = new BdpStateMachines(this, 'Workflows', {
      prefix: p,
      config: c,
      logRetention: retention,
      logLevel: s.stateMachineLogLevel,
      functions: {
        detect: fns.get('detection'),
        analyze: fns.get('analysis'),
        notify: fns.get('notify'),
        requestApproval: fns.get('approval'),
        expireApproval: fns.get('approvalExpiry'),
        remediate: fns.get('remediation'),
        verify: fns.get('verification'),
      },
    });

    const chatEntries = (['slackBot', 'teamsBot'] as const).flatMap((k) =>
      fns.byKey[k] ? [fns.byKey[k]] : [],
    );
    // By name, not by reference: the workflow's functions hand notices to the worker, so a reference
    // from the worker (or the chat entries) back to the state machine would be a dependency cycle.
    const machineArn = (name: string) =>
      this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const mainArn = machineArn(`${p}-main-workflow`);
    const approvalArn = machineArn(`${p}-approval-workflow`);
    for (const fn of [...chatEntries, worker]) fn.addEnvironment('MAIN_STATE_MACHINE_ARN', mainArn);
    // Notices go to the cards worker; chat entries (and the cards worker, forwarding) route by role.
    // Detection sweeps the chat outbox on the schedule, so it hands notices to the cards worker too.
    const notifiers = [
      fns.get('notify'),
      fns.get('approval'),
      fns.get('approvalExpiry'),
      fns.get('detection'),
      fns.get('botActions'),
    ];
    for (const fn of [...notifiers, ...chatEntries, worker])
      fn.addEnvironment('BOT_WORKER_FUNCTION_NAME', nameOf('botWorker'));
    for (const fn of [...chatEntries, worker]) {
      fn.addEnvironment('BOT_FOLLOWUP_FUNCTION_NAME', nameOf('botFollowup'));
      fn.addEnvironment('BOT_ACTIONS_FUNCTION_NAME', nameOf('botActions'));
    }
    for (const fn of [fns.byKey.slackBot, ...workers])
      fn?.addEnvironment('SLACK_SECRET_ARN', slackSecret.secretArn);
    for (const fn of [fns.byKey.teamsBot, ...workers])
      fn?.addEnvironment('TEAMS_SECRET_ARN', teamsSecret.secretArn);

    const policy = props.policy ?? loadPolicy();
    this.grantAccess({
      policy,
      catalogFunctions: catalogFunctionNames(loadServices(c), policy),
      workerNames: {
        cards: nameOf('botWorker'),
        followup: nameOf('botFollowup'),
        actions: nameOf('botActions'),
      },
      rdsClusterArn,
      rdsSecretArn,
      secrets: { slack: slackSecret, teams: teamsSecret, gemini: geminiSecret },
      machineArns: { main: mainArn, all: [mainArn, approvalArn] },
    });

    const urls: [string, IFunction | undefined][] = [
      ['SlackEventsUrl', fns.byKey.slackBot],
      ['TeamsMessagesUrl', fns.byKey.teamsBot],
    ];
    for (const [name, fn] of urls) {
      if (!fn) continue;
      // Auth NONE: Slack and Bot Framework cannot sign AWS requests; the app verifies the signature / JWT.
      const url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
      new CfnOutput(this, name, { value: url.url });
    }

    if (s.scheduleEnabled) {
      this.schedule = new Schedule(this, 'DetectionSchedule', {
        scheduleName: `${p}-detection`,
        description: `Start ${p}-main-workflow every ${s.scheduleRate} minutes`,
        schedule: ScheduleExpression.rate(Duration.minutes(s.scheduleRate)),
        target: new StepFunctionsStartExecution(this.workflows.main, {
          input: ScheduleTargetInput.fromObject({ requested_by: 'eventbridge-scheduler' }),
          retryAttempts: 2,
        }),
      });
    }

    this.monitoring = new BdpMonitoring(this, 'Monitoring', {
      prefix: p,
      namespace: c.METRICS_NAMESPACE,
      llmProvider: c.LLM_MOCK ? 'mock' : c.LLM_PROVIDER,
      functions: fns.named,
      stateMachines: [
        { name: `${p}-main-workflow`, machine: this.workflows.main },
        { name: `${p}-approval-workflow`, machine: this.workflows.approval },
      ],
      alarmEmail: s.alarmEmail,
      workerDlq: this.workerDlq,
      bus: this.bus,
    });

    new CfnOutput(this, 'MainStateMachineArn', { value: this.workflows.main.stateMachineArn });
    new CfnOutput(this, 'KnowledgeBaseBucket', { value: this.knowledgeBase.bucketName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'BotWorkerDlqUrl', { value: this.workerDlq.queueUrl });

    applyNagSuppressions({
      stack: this,
      functions: fns.all,
      secrets: [slackSecret, teamsSecret, geminiSecret],
      knowledgeBase: this.knowledgeBase,
      workerDlq: this.workerDlq,
      rdsSecretPattern: rdsSecretResource(rdsSecretArn),
    });
  }

  /**
   * Least privilege per role: each function gets the tables, secrets and services its handler uses,
   * scoped to resources; write actions never on `*`. The bot's three workers split what the chat may
   * do: cards (post, read), follow-up (the agent on untrusted chat text: read-only), actions
   * (SendTask*, rollback writes; no LLM key, no telemetry).
   */
  private grantAccess(o: {
    policy: RemediationPolicy;
    catalogFunctions: string[];
    workerNames: { cards: string; followup: string; actions: string };
    rdsClusterArn: string;
    rdsSecretArn: string;
    secrets: { slack: ISecret; teams: ISecret; gemini: ISecret };
    machineArns: { main: string; all: string[] };
  }): void {
    const fns = this.functions;
    const t = this.tables.byKey;
    const cards = fns.get('botWorker');
    const followup = fns.get('botFollowup');
    const actions = fns.get('botActions');
    const slackBot = fns.byKey.slackBot;
    const teamsBot = fns.byKey.teamsBot;
    const chat = [slackBot, teamsBot].filter((f) => f !== undefined);
    const arn = (service: string, resource: string) =>
      `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const add = (targets: (IGrantable | undefined)[], st: PolicyStatement) => {
      for (const g of targets) g?.grantPrincipal.addToPrincipalPolicy(st);
    };

    // Telemetry reads (detection, analysis tools, verification, follow-up questions).
    const observers = [fns.get('detection'), fns.get('analysis'), fns.get('verification'), followup];
    add(
      observers,
      new PolicyStatement({
        sid: 'ReadMetrics',
        effect: Effect.ALLOW,
        // GetMetricData has no resource-level permissions.
        actions: ['cloudwatch:GetMetricData'],
        resources: ['*'],
      }),
    );
    add(
      observers,
      new PolicyStatement({
        sid: 'ReadLogGroups',
        effect: Effect.ALLOW,
        actions: ['logs:FilterLogEvents', 'logs:StartQuery'],
        resources: [arn('logs', 'log-group:*')],
      }),
    );
    add(
      observers,
      new PolicyStatement({
        sid: 'ReadLogQueries',
        effect: Effect.ALLOW,
        // Query ids are not resources: these two cannot be scoped.
        actions: ['logs:GetQueryResults', 'logs:StopQuery'],
        resources: ['*'],
      }),
    );
    add(
      observers,
      new PolicyStatement({
        sid: 'QueryUnifiedLogs',
        effect: Effect.ALLOW,
        actions: ['rds-data:ExecuteStatement'],
        resources: [o.rdsClusterArn],
      }),
    );
    add(
      observers,
      new PolicyStatement({
        sid: 'ReadUnifiedLogsSecret',
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [rdsSecretResource(o.rdsSecretArn)],
      }),
    );

    // The agent: knowledge base, LLM key, its memory, what changed (catalogued functions' configurations, history).
    const agents = [fns.get('analysis'), followup];
    for (const g of agents) {
      this.knowledgeBase.grantRead(g);
      o.secrets.gemini.grantRead(g);
      t.agent_memory.grantReadWriteData(g);
      t.remediation_history.grantReadData(g);
    }
    if (o.catalogFunctions.length > 0)
      add(
        agents,
        new PolicyStatement({
          sid: 'ReadFunctionConfigurations',
          effect: Effect.ALLOW,
          actions: ['lambda:GetFunctionConfiguration'],
          resources: o.catalogFunctions.map((f) => arn('lambda', `function:${f}`)),
        }),
      );

    // The analysis reads the current value of a parameter it proposes to change (read-only, the policy's
    // groups only): a value the policy cannot check (a formula) caps the route at approval.
    const tuned = remediationTargets(o.policy, STACK_SCOPE);
    if (tuned.dbParameterGroups.length > 0)
      add(
        [fns.get('analysis')],
        new PolicyStatement({
          sid: 'ReadPolicyDbParameters',
          effect: Effect.ALLOW,
          actions: ['rds:DescribeDBParameters', 'rds:DescribeDBClusterParameters'],
          resources: [...tuned.dbParameterGroups, ...tuned.dbClusterParameterGroups],
        }),
      );

    // Detection de-duplicates in anomaly tracking.
    t.anomaly_tracking.grantReadWriteData(fns.get('detection'));

    // Incident state: every step records it; the follow-up worker only reads it; the Slack entry
    // reads nothing (it verifies, acks and hands every request to a worker).
    for (const fn of fns.all) {
      if (fn === slackBot) continue;
      if (fn === followup) t.workflow_state.grantReadData(fn);
      else t.workflow_state.grantReadWriteData(fn);
    }
    // `/bdp history` in the cards worker.
    t.remediation_history.grantReadData(cards);

    // Remediation: exactly the policy's targets; the actions worker runs rollbacks with the same reach,
    // less ending sessions over the Data API (not reversible, so never a rollback's to do).
    const remediators = [fns.get('remediation'), actions];
    const dataApi = { clusterArn: o.rdsClusterArn, secretResource: rdsSecretResource(o.rdsSecretArn) };
    for (const st of remediationStatements(remediationTargets(o.policy, STACK_SCOPE, dataApi)))
      add(st.sid?.startsWith('EndIdleSessions') ? [fns.get('remediation')] : remediators, st);
    for (const g of remediators) t.remediation_history.grantReadWriteData(g);

    // Lifecycle events (and the policy's eventbridge_event action) on our bus only. Teams still
    // decides in its entry; Slack hands decisions to the actions worker.
    for (const fn of [
      fns.get('remediation'),
      fns.get('verification'),
      fns.get('approval'),
      fns.get('approvalExpiry'),
      teamsBot,
      actions,
    ])
      if (fn) this.bus.grantPutEventsTo(fn);

    // Jobs go to the workers asynchronously, by physical name (the workers name each other).
    const invoke = (sid: string, targets: (IGrantable | undefined)[], names: string[]) =>
      add(
        targets,
        new PolicyStatement({
          sid,
          effect: Effect.ALLOW,
          actions: ['lambda:InvokeFunction'],
          resources: names.map((n) => arn('lambda', `function:${n}`)),
        }),
      );
    const w = o.workerNames;
    invoke(
      'NoticesToCardsWorker',
      [fns.get('notify'), fns.get('approval'), fns.get('approvalExpiry'), fns.get('detection'), actions],
      [w.cards],
    );
    invoke('JobsToWorkers', [...chat, cards], [w.cards, w.followup, w.actions]);

    // Approvals resume the workflow (the actions worker; Teams decides in its entry); /bdp analyze starts it.
    add(
      [teamsBot, actions],
      new PolicyStatement({
        sid: 'ResumeWorkflows',
        effect: Effect.ALLOW,
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: o.machineArns.all,
      }),
    );
    add(
      [teamsBot, cards],
      new PolicyStatement({
        sid: 'StartMainWorkflow',
        effect: Effect.ALLOW,
        actions: ['states:StartExecution'],
        resources: [o.machineArns.main],
      }),
    );
    // Chat secrets: each entry its own; every worker posts (and the actions worker resolves approver
    // groups) with the bot credentials. None holds the other workers' LLM key.
    if (slackBot) o.secrets.slack.grantRead(slackBot);
    if (teamsBot) o.secrets.teams.grantRead(teamsBot);
    for (const g of [cards, followup, actions]) {
      o.secrets.slack.grantRead(g);
      o.secrets.teams.grantRead(g);
    }
  }
}

/** Secret ARNs end in a random suffix: a name-only ARN gets a wildcard for it. */
function rdsSecretResource(arn: string): string {
  return /-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}*`;
}
