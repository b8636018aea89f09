import { approvalStates, catchAll, failureStates, lambdaTask, notifyTask } from './states';
import type { AslDefinition, AslState, WorkflowOptions } from './types';

/**
 * bdp-main-workflow. Detect → any incidents? → Map over them: Analyze → Notify → route on the
 * computed confidence (≥ auto → Execute unless the analysis capped the route at approval; ≥ approval →
 * RequestApproval; else Escalate) → Execute →
 * Wait → Verify → resolved, or Replan (Analyze again with the failed attempt; at most maxReplans)
 * and then Escalate. Every Lambda task retries transient errors; every failure ends in a "failed"
 * notice.
 *
 * The approval wait is inline (the same fragment bdp-approval-workflow deploys standalone) rather
 * than a nested `startExecution.sync:2`: one execution history per run, no second execution per
 * approval, and it runs unchanged in aws-local-stepfunctions, which only runs Lambda-style tasks.
 */
export function buildMainWorkflow(o: WorkflowOptions): AslDefinition {
  const r = o.resources;
  const iteration: Record<string, AslState> = {
    Analyze: lambdaTask(o, r.analyze, 'NotifyAnalyzed', { Catch: catchAll('NotifyFailed') }),
    NotifyAnalyzed: notifyTask(o, 'analyzed', 'Route', { catchTo: 'NotifyFailed' }),
    Route: {
      Type: 'Choice',
      Choices: [
        // Nothing to do is a person's job, whatever the confidence.
        { Variable: '$.analysis.remediation_plan.action', StringEquals: 'none', Next: 'Escalate' },
        // The analysis caps the route at approval when the policy cannot check the plan on its own
        // (e.g. a ratio against a formula): a person decides, whatever the confidence.
        { Variable: '$.analysis.route', StringEquals: 'approval', Next: 'RequestApproval' },
        {
          Variable: '$.analysis.confidence_score',
          NumericGreaterThanEquals: o.autoExecuteThreshold,
          Next: 'Execute',
        },
        {
          Variable: '$.analysis.confidence_score',
          NumericGreaterThanEquals: o.approvalThreshold,
          Next: 'RequestApproval',
        },
      ],
      Default: 'Escalate',
    },
    ...approvalStates(o, { approved: 'Execute', expired: 'Escalate', failed: 'NotifyFailed' }),
    Execute: lambdaTask(o, r.remediate, 'ExecuteOutcome', { Catch: catchAll('NotifyFailed') }),
    ExecuteOutcome: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.remediation.status', StringEquals: 'executed', Next: 'NotifyExecuted' },
        { Variable: '$.remediation.status', StringEquals: 'dry_run', Next: 'NotifyDryRun' },
        { Variable: '$.remediation.status', StringEquals: 'refused', Next: 'Escalate' },
      ],
      Default: 'NotifyRemediationFailed',
    },
    NotifyExecuted: notifyTask(o, 'executed', 'WaitForRecovery', { catchTo: 'NotifyFailed' }),
    NotifyDryRun: notifyTask(o, 'executed', null, { catchTo: 'NotifyFailed' }),
    NotifyRemediationFailed: notifyTask(o, 'failed', null, { catchTo: 'IterationFailed' }),
    WaitForRecovery: { Type: 'Wait', Seconds: o.verifyWaitSeconds, Next: 'Verify' },
    Verify: lambdaTask(o, r.verify, 'Recovered', { Catch: catchAll('NotifyFailed') }),
    Recovered: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.verification.resolved', BooleanEquals: true, Next: 'NotifyResolved' },
        { Variable: '$.replan_count', NumericLessThan: o.maxReplans, Next: 'NotifyNotResolved' },
      ],
      Default: 'Escalate',
    },
    NotifyResolved: notifyTask(o, 'resolved', null, { catchTo: 'NotifyFailed' }),
    // Analyze sees the unresolved verification, moves the attempt into failed_attempts, counts the replan.
    NotifyNotResolved: notifyTask(o, 'not_resolved', 'Analyze', { catchTo: 'NotifyFailed' }),
    Escalate: notifyTask(o, 'escalated', null, { catchTo: 'NotifyFailed' }),
    ...failureStates(o, 'NotifyFailed', 'IterationFailed'),
  };

  return {
    Comment: 'BDP Agent: detect, analyse, route by confidence, remediate with approval, verify and replan',
    StartAt: 'Detect',
    States: {
      // The execution id makes a retried Detect re-open what its first attempt claimed (none lost).
      Detect: lambdaTask(o, r.detect, 'AnyIncidents', {
        Parameters: { 'request.$': '$', 'run_id.$': '$$.Execution.Id' },
      }),
      AnyIncidents: {
        Type: 'Choice',
        Choices: [{ Variable: '$.incidents[0]', IsPresent: true, Next: 'ProcessIncidents' }],
        Default: 'NothingToDo',
      },
      NothingToDo: { Type: 'Succeed' },
      ProcessIncidents: {
        Type: 'Map',
        ItemsPath: '$.incidents',
        ItemSelector: { 'incident.$': '$$.Map.Item.Value', 'execution_id.$': '$$.Execution.Id' },
        MaxConcurrency: o.maxConcurrency ?? 5,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Analyze',
          States: iteration,
        },
        ResultPath: '$.results',
        End: true,
      },
    },
  };
}
