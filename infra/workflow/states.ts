import type { AslState, Json, WorkflowOptions } from './types';

/** The error the approval service sends (SendTaskFailure) when a person rejects. */
export const APPROVAL_REJECTED_ERROR = 'ApprovalRejected';

/**
 * Errors worth another try: Lambda's own transient failures and our handlers' TransientError
 * (throttling, timeouts, unavailability of an AWS call). Bad input and policy refusals are not retried.
 * This is the step's retry layer: inside the step an AWS request is retried only by its SDK client
 * (see pipeline/remediation/retry.ts for the layers and the worst case).
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientError',
];

export const retry = (): Json => [
  {
    ErrorEquals: TRANSIENT_ERRORS,
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

/** Every failure lands in the failure notice with the error at $.error. */
export const catchAll = (next: string): Json => [
  { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next },
];

export function lambdaTask(
  o: WorkflowOptions,
  resource: string,
  next: string | null,
  extra: AslState = {},
): AslState {
  return {
    Type: 'Task',
    Resource: resource,
    TimeoutSeconds: o.taskTimeoutSeconds ?? 300,
    Retry: retry(),
    ...extra,
    ...(next ? { Next: next } : { End: true }),
  };
}

/** A notice task: records the status and tells chat; its output is the state, unchanged. */
export function notifyTask(
  o: WorkflowOptions,
  kind: string,
  next: string | null,
  opts: { params?: Record<string, Json>; catchTo?: string } = {},
): AslState {
  return lambdaTask(o, o.resources.notify, next, {
    Parameters: { kind, 'state.$': '$', 'execution_arn.$': '$$.Execution.Id', ...opts.params },
    ...(opts.catchTo ? { Catch: catchAll(opts.catchTo) } : {}),
  });
}

export interface ApprovalTargets {
  /** After approval (state has $.approval). */
  approved: string;
  /** After a timeout (the request was marked expired and the card updated). */
  expired: string;
  /** Where any failure goes (error at $.error). */
  failed: string;
}

/**
 * The human-approval fragment, shared by the main workflow (inline) and bdp-approval-workflow
 * (standalone): RequestApproval waits for the task token with a timeout; approved → targets.approved;
 * rejected (SendTaskFailure ApprovalRejected) → recorded, done; timeout → expired → targets.expired.
 */
export function approvalStates(o: WorkflowOptions, t: ApprovalTargets): Record<string, AslState> {
  return {
    RequestApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: o.resources.requestApproval,
        Payload: { 'state.$': '$', 'task_token.$': '$$.Task.Token' },
      },
      TimeoutSeconds: o.approvalTimeoutSeconds,
      // The decision ({status, decided_by, reason}) sent with SendTaskSuccess.
      ResultPath: '$.approval',
      Retry: [
        {
          ErrorEquals: TRANSIENT_ERRORS.filter((e) => e !== 'TransientError'),
          IntervalSeconds: 2,
          MaxAttempts: 2,
          BackoffRate: 2,
        },
      ],
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'ExpireApproval' },
        { ErrorEquals: [APPROVAL_REJECTED_ERROR], ResultPath: '$.error', Next: 'RecordRejection' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: t.failed },
      ],
      Next: t.approved,
    },
    ExpireApproval: lambdaTask(o, o.resources.expireApproval, t.expired, { Catch: catchAll(t.failed) }),
    // The approval service already updated the card when the person rejected: record only.
    RecordRejection: notifyTask(o, 'rejected', null, {
      params: { 'error.$': '$.error', silent: true },
      catchTo: t.failed,
    }),
  };
}

/** The terminal failure notice: tells chat, then ends the branch (or fails it if even that fails). */
export function failureStates(o: WorkflowOptions, name: string, failState: string): Record<string, AslState> {
  return {
    [name]: {
      ...notifyTask(o, 'failed', null, { params: { 'error.$': '$.error' } }),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.notify_error', Next: failState }],
    },
    [failState]: {
      Type: 'Fail',
      Error: 'NotificationFailed',
      Cause: 'The failure notice itself could not be delivered.',
    },
  };
}
