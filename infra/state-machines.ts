import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../providers/config';
import {
  type AslDefinition,
  buildApprovalWorkflow,
  buildMainWorkflow,
  workflowOptionsFromConfig,
} from './workflow';

export interface WorkflowFunctions {
  detect: IFunction;
  analyze: IFunction;
  notify: IFunction;
  requestApproval: IFunction;
  expireApproval: IFunction;
  remediate: IFunction;
  verify: IFunction;
}

export interface BdpStateMachinesProps {
  prefix: string;
  config: Config;
  functions: WorkflowFunctions;
  logRetention: RetentionDays;
  /** Execution logging (context `stateMachineLogLevel`, default ERROR); execution data only with ALL. */
  logLevel: 'OFF' | 'FATAL' | 'ERROR' | 'ALL';
}

/**
 * bdp-main-workflow and bdp-approval-workflow from the one ASL builder (infra/workflow) the local
 * runner executes too; thresholds from the same config as the code's `route()`. Logging ERROR (no
 * execution data) unless the context asks for more, X-Ray tracing.
 */
export class BdpStateMachines extends Construct {
  readonly main: StateMachine;
  readonly approval: StateMachine;
  /** The definitions as built (with CDK tokens for the function ARNs). */
  readonly definitions: { main: AslDefinition; approval: AslDefinition };

  constructor(scope: Construct, id: string, props: BdpStateMachinesProps) {
    super(scope, id);
    const f = props.functions;
    const options = workflowOptionsFromConfig(props.config, {
      detect: f.detect.functionArn,
      analyze: f.analyze.functionArn,
      notify: f.notify.functionArn,
      requestApproval: f.requestApproval.functionArn,
      expireApproval: f.expireApproval.functionArn,
      remediate: f.remediate.functionArn,
      verify: f.verify.functionArn,
    });
    this.definitions = { main: buildMainWorkflow(options), approval: buildApprovalWorkflow(options) };
    // An approval can wait up to the approval timeout; every replan adds an analysis and a wait.
    const mainTimeout = Duration.seconds(
      props.config.APPROVAL_TIMEOUT_SECONDS +
        (props.config.MAX_REPLANS + 1) * (props.config.VERIFY_WAIT_SECONDS + 900),
    );
    this.main = this.machine(
      'Main',
      `${props.prefix}-main-workflow`,
      this.definitions.main,
      props,
      mainTimeout,
    );
    this.approval = this.machine(
      'Approval',
      `${props.prefix}-approval-workflow`,
      this.definitions.approval,
      props,
      Duration.seconds(props.config.APPROVAL_TIMEOUT_SECONDS + 900),
    );
    for (const fn of Object.values(f)) {
      fn.grantInvoke(this.main);
      fn.grantInvoke(this.approval);
    }
  }

  private machine(
    id: string,
    name: string,
    definition: AslDefinition,
    props: BdpStateMachinesProps,
    timeout: Duration,
  ): StateMachine {
    const logs = new LogGroup(this, `${id}Logs`, {
      // The /aws/vendedlogs/ prefix keeps the log delivery resource policy small.
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new StateMachine(this, id, {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      timeout,
      tracingEnabled: true,
      logs: {
        destination: logs,
        level: LogLevel[props.logLevel],
        includeExecutionData: props.logLevel === 'ALL',
      },
    });
  }
}
