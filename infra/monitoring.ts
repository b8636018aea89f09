import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  LAMBDA_ERROR_RATE_ALARM_PERCENT,
  LLM_LATENCY_ALARM_MS,
  LLM_METRICS,
  PIPELINE_METRICS,
  SFN_FAILED_RATE_ALARM_PERCENT,
} from './metrics';

export interface BdpMonitoringProps {
  prefix: string;
  /** config METRICS_NAMESPACE: where the agent and pipeline put their metrics. */
  namespace: string;
  /** The `provider` dimension the agent's LLM metrics carry (mock | vllm | gemini). */
  llmProvider: string;
  functions: { name: string; fn: IFunction }[];
  stateMachines: { name: string; machine: StateMachine }[];
  alarmEmail?: string;
  /** The bot worker's dead-letter queue: any message in it is a chat job that gave up. */
  workerDlq?: IQueue;
  /** The product's event bus: `Remediation Failed` events go to the alarm topic. */
  bus?: IEventBus;
}

const PERIOD = Duration.minutes(5);

/** A dashboard SEARCH over one custom metric name, whatever dimensions the emitter added. */
function search(namespace: string, metricName: string, stat: string, label: string): MathExpression {
  return new MathExpression({
    expression: `SEARCH('Namespace="${namespace}" MetricName="${metricName}"', '${stat}', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    period: PERIOD,
    label,
  });
}

function total(namespace: string, metricName: string, label: string): MathExpression {
  return new MathExpression({
    expression: `SUM(SEARCH('Namespace="${namespace}" MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()}))`,
    usingMetrics: {},
    period: PERIOD,
    label,
  });
}

/**
 * Alarms (to one SNS topic): per-function Lambda error rate > 5 %, per-state-machine failed
 * executions > 10 %, mean LLM latency > 10 s. The dashboard: anomalies detected, incidents by route,
 * auto-remediation success rate, LLM latency and tokens, function and workflow health.
 */
export class BdpMonitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: BdpMonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { topicName: `${props.prefix}-alarms`, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const alarm = (alarmId: string, a: ConstructorParameters<typeof Alarm>[2]) => {
      const created = new Alarm(this, alarmId, a);
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const { name, fn } of props.functions) {
      alarm(`${name}ErrorRate`, {
        alarmName: `${name}-error-rate`,
        alarmDescription: `${name}: more than ${LAMBDA_ERROR_RATE_ALARM_PERCENT} % of invocations failed in 5 minutes`,
        metric: new MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: {
            errors: fn.metricErrors({ statistic: 'Sum', period: PERIOD }),
            invocations: fn.metricInvocations({ statistic: 'Sum', period: PERIOD }),
          },
          period: PERIOD,
          label: `${name} error rate (%)`,
        }),
        threshold: LAMBDA_ERROR_RATE_ALARM_PERCENT,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }

    for (const { name, machine } of props.stateMachines) {
      alarm(`${name}FailedRate`, {
        alarmName: `${name}-failed-executions`,
        alarmDescription: `${name}: more than ${SFN_FAILED_RATE_ALARM_PERCENT} % of executions failed in 5 minutes`,
        metric: new MathExpression({
          expression: 'IF(started > 0, 100 * failed / started, 0)',
          usingMetrics: {
            failed: machine.metricFailed({ statistic: 'Sum', period: PERIOD }),
            started: machine.metricStarted({ statistic: 'Sum', period: PERIOD }),
          },
          period: PERIOD,
          label: `${name} failed executions (%)`,
        }),
        threshold: SFN_FAILED_RATE_ALARM_PERCENT,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }

    const llmLatency = new Metric({
      namespace: props.namespace,
      metricName: LLM_METRICS.latency,
      dimensionsMap: { service: LLM_METRICS.service, provider: props.llmProvider },
      statistic: 'Average',
      period: PERIOD,
    });
    alarm('LlmLatency', {
      alarmName: `${props.prefix}-llm-latency`,
      alarmDescription: `Mean LLM call latency above ${LLM_LATENCY_ALARM_MS / 1000} s over 5 minutes`,
      metric: llmLatency,
      threshold: LLM_LATENCY_ALARM_MS,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    if (props.workerDlq) {
      alarm('WorkerDlqDepth', {
        alarmName: `${props.prefix}-bot-worker-dlq`,
        alarmDescription:
          "A chat job gave up after Lambda's retries (its notice stays in the outbox; the sweeper retries). Redrive: see infra/README.md.",
        metric: props.workerDlq.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: PERIOD,
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    if (props.bus) {
      // A failed incident branch ends inside a Map whose execution still succeeds: the event is the signal.
      new Rule(this, 'RemediationFailedToAlarms', {
        ruleName: `${props.prefix}-remediation-failed`,
        eventBus: props.bus,
        eventPattern: { source: ['bdp.agent'], detailType: ['Remediation Failed'] },
        targets: [new SnsTopic(this.topic)],
      });
    }

    this.dashboard = this.buildDashboard(props);
  }

  private buildDashboard(props: BdpMonitoringProps): Dashboard {
    const ns = props.namespace;
    const m = PIPELINE_METRICS;
    const succeeded = total(ns, m.autoRemediationSucceeded, 'succeeded');
    const failed = total(ns, m.autoRemediationFailed, 'failed');
    const successRate = new MathExpression({
      expression: 'IF(ok + bad > 0, 100 * ok / (ok + bad), 100)',
      usingMetrics: { ok: succeeded, bad: failed },
      period: PERIOD,
      label: 'Auto-remediation success rate (%)',
    });
    const metricsOf = (pick: (x: { name: string; fn: IFunction }) => IMetric) => props.functions.map(pick);
    const d = new Dashboard(this, 'Dashboard', { dashboardName: `${props.prefix}-agent` });
    d.addWidgets(
      new TextWidget({
        markdown: `# BDP Agent\nIncidents detected, how they were routed, what remediation achieved, and what the LLM costs. Custom metrics in namespace \`${ns}\`.`,
        width: 24,
        height: 2,
      }),
    );
    d.addWidgets(
      new GraphWidget({
        title: 'Anomalies detected',
        left: [total(ns, m.anomaliesDetected, 'anomalies')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Incidents by route (auto / approval / escalate)',
        left: [search(ns, m.incidentsRouted, 'Sum', '')],
        stacked: true,
        width: 8,
      }),
      new SingleValueWidget({
        title: 'Auto-remediation success rate',
        metrics: [successRate],
        width: 8,
      }),
    );
    d.addWidgets(
      new GraphWidget({
        title: 'LLM latency (ms)',
        left: [
          search(ns, LLM_METRICS.latency, 'Average', 'mean'),
          search(ns, LLM_METRICS.latency, 'p90', 'p90'),
        ],
        leftAnnotations: [{ value: LLM_LATENCY_ALARM_MS, label: 'alarm' }],
        width: 12,
      }),
      new GraphWidget({
        title: 'LLM tokens (cost trend)',
        left: [search(ns, LLM_METRICS.tokens, 'Sum', 'tokens')],
        width: 12,
      }),
    );
    d.addWidgets(
      new GraphWidget({
        title: 'Lambda errors',
        left: metricsOf(({ name, fn }) => fn.metricErrors({ period: PERIOD, label: name })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Workflow executions',
        left: props.stateMachines.flatMap(({ name, machine }) => [
          machine.metricStarted({ period: PERIOD, label: `${name} started` }),
          machine.metricSucceeded({ period: PERIOD, label: `${name} succeeded` }),
          machine.metricFailed({ period: PERIOD, label: `${name} failed` }),
        ]),
        width: 12,
      }),
    );
    d.addWidgets(
      new GraphWidget({
        title: 'Incidents opened',
        left: [total(ns, m.incidentsOpened, 'incidents')],
        width: 6,
      }),
      new GraphWidget({
        title: 'Time to approval (s)',
        left: [
          search(ns, m.timeToApprovalSeconds, 'Average', 'mean'),
          search(ns, m.timeToApprovalSeconds, 'p90', 'p90'),
        ],
        width: 6,
      }),
      new GraphWidget({
        title: 'Time to recovery (s)',
        left: [
          search(ns, m.timeToRecoverySeconds, 'Average', 'mean'),
          search(ns, m.timeToRecoverySeconds, 'p90', 'p90'),
        ],
        width: 6,
      }),
      new GraphWidget({
        title: 'Chat API failures (after retries)',
        left: [search(ns, m.chatDeliveryFailures, 'Sum', '')],
        width: 6,
      }),
    );
    d.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    return d;
  }
}
