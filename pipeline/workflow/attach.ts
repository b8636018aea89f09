import { serviceLogger } from '../../providers/logging';
import type { LocalExecutionResult, LocalRunOptions, TaskFn, TokenBroker } from './local-runner';
import { runLocalExecution } from './local-runner';

/** The mock Step Functions hooks the local workspace runs executions through. */
export interface LocalStepFunctions extends TokenBroker {
  onStartExecution(
    cb: (e: { execution_arn: string; state_machine_arn: string; input: unknown }) => void | Promise<void>,
  ): () => void;
}

export interface LocalWorkflows {
  /** Settles when the execution ends (starts tracking it if not yet known). */
  result(execution_arn: string): Promise<LocalExecutionResult>;
  /** Executions started so far with their status. */
  list(): { execution_arn: string; status: 'RUNNING' | LocalExecutionResult['status'] }[];
  detach(): void;
}

const logger = serviceLogger('bdp-local-workflow');

/**
 * Runs every StartExecution on the mock Step Functions with the local runner, using the definition
 * registered for that state machine ARN (e.g. `/bdp analyze` → the main workflow, in process).
 */
export function attachLocalWorkflows(
  sfn: LocalStepFunctions,
  opts: { definitions: Record<string, object>; tasks: Record<string, TaskFn> } & Omit<
    LocalRunOptions,
    'tasks' | 'tokens' | 'execution_arn'
  >,
): LocalWorkflows {
  const runs = new Map<
    string,
    { status: 'RUNNING' | LocalExecutionResult['status']; promise: Promise<LocalExecutionResult> }
  >();
  const waiters = new Map<string, (r: LocalExecutionResult) => void>();
  const unsubscribe = sfn.onStartExecution((e) => {
    const def = opts.definitions[e.state_machine_arn];
    if (!def) {
      logger.warn('no local definition for state machine', { state_machine_arn: e.state_machine_arn });
      return;
    }
    const promise = runLocalExecution(def, e.input, {
      ...opts,
      tasks: opts.tasks,
      tokens: sfn,
      execution_arn: e.execution_arn,
    }).catch(
      (err: unknown): LocalExecutionResult => ({
        status: 'FAILED',
        execution_arn: e.execution_arn,
        error: 'LocalRunnerError',
        cause: (err as Error).message,
      }),
    );
    const entry = { status: 'RUNNING' as const, promise };
    runs.set(e.execution_arn, entry);
    void promise.then((r) => {
      runs.set(e.execution_arn, { status: r.status, promise });
      if (r.status === 'FAILED')
        logger.error('local execution failed', {
          execution_arn: r.execution_arn,
          error: r.error,
          cause: r.cause,
        });
      waiters.get(e.execution_arn)?.(r);
    });
  });
  return {
    result(execution_arn) {
      const known = runs.get(execution_arn);
      if (known) return known.promise;
      return new Promise((resolve) => waiters.set(execution_arn, resolve));
    },
    list: () => [...runs.entries()].map(([execution_arn, r]) => ({ execution_arn, status: r.status })),
    detach: unsubscribe,
  };
}
