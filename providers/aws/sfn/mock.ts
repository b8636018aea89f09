import { randomUUID } from 'node:crypto';
import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type StepFunctionsProvider } from '../types';

export interface MockExecution {
  execution_arn: string;
  state_machine_arn: string;
  name: string;
  input: unknown;
  started_at: Date;
}

export type TaskOutcome =
  | { status: 'success'; output: unknown }
  | { status: 'failure'; error: string; cause: string };

interface PendingTask {
  resolve: (o: TaskOutcome) => void;
  promise: Promise<TaskOutcome>;
  done: boolean;
  heartbeats: number;
}

/**
 * In-memory Step Functions. It does not run state machines: `onStartExecution` lets the local
 * workspace (or a test) run them itself. Task tokens work like the service's: a token is known once
 * issued (`createTaskToken`) or awaited (`waitForToken`); sendTaskSuccess/Failure settles it once;
 * an unknown token fails with TaskDoesNotExist, an already settled one with TaskTimedOut.
 */
export class MockStepFunctions implements StepFunctionsProvider {
  readonly faults = new FaultInjector('sfn');
  readonly executions: MockExecution[] = [];
  private readonly tasks = new Map<string, PendingTask>();
  private readonly starters = new Set<(e: MockExecution) => void | Promise<void>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(
    operation: 'StartExecution' | 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat',
    kind: AwsProviderError['kind'],
    n = 1,
  ): void {
    this.faults.failNext(operation, kind, n);
  }

  /** Called (after startExecution returns) for every new execution. Returns an unsubscribe. */
  onStartExecution(cb: (e: MockExecution) => void | Promise<void>): () => void {
    this.starters.add(cb);
    return () => this.starters.delete(cb);
  }

  /** Issues a fresh task token, as a `.waitForTaskToken` task's context would. */
  createTaskToken(): string {
    const token = `mock-token-${randomUUID()}`;
    this.register(token);
    return token;
  }

  /** Resolves when the token is settled by sendTaskSuccess/Failure. */
  waitForToken(token: string): Promise<TaskOutcome> {
    return this.register(token).promise;
  }

  /** Heartbeats received for a token (0 when unknown). */
  heartbeats(token: string): number {
    return this.tasks.get(token)?.heartbeats ?? 0;
  }

  async startExecution(arn: string, input: unknown, name?: string): Promise<{ execution_arn: string }> {
    this.faults.check('StartExecution');
    const m = /^arn:aws[\w-]*:states:([\w-]+):(\d{12}):stateMachine:([\w-]+)$/.exec(arn);
    if (!m)
      throw new AwsProviderError(
        'sfn',
        'StartExecution',
        'validation',
        `InvalidArn: not a state machine ARN: ${arn}`,
      );
    const execName = name ?? randomUUID();
    if (!/^[\w-]{1,80}$/.test(execName)) {
      throw new AwsProviderError('sfn', 'StartExecution', 'validation', `InvalidName: ${execName}`);
    }
    const execution_arn = `arn:aws:states:${m[1]}:${m[2]}:execution:${m[3]}:${execName}`;
    const json = JSON.stringify(input ?? {});
    const existing = this.executions.find((e) => e.execution_arn === execution_arn);
    if (existing) {
      // StartExecution is idempotent for the same name and input; a different input is a conflict.
      if (JSON.stringify(existing.input) === json) return { execution_arn };
      throw new AwsProviderError(
        'sfn',
        'StartExecution',
        'validation',
        `ExecutionAlreadyExists: ${execution_arn}`,
      );
    }
    const exec: MockExecution = {
      execution_arn,
      state_machine_arn: arn,
      name: execName,
      input: JSON.parse(json),
      started_at: this.now(),
    };
    this.executions.push(exec);
    for (const cb of this.starters) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => cb(exec))
          .catch(() => undefined);
      });
    }
    return { execution_arn };
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    this.faults.check('SendTaskSuccess');
    const task = this.settle(token, 'SendTaskSuccess');
    task.resolve({ status: 'success', output: JSON.parse(JSON.stringify(output ?? null)) });
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    this.faults.check('SendTaskFailure');
    const task = this.settle(token, 'SendTaskFailure');
    task.resolve({ status: 'failure', error, cause });
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    this.faults.check('SendTaskHeartbeat');
    const task = this.live(token, 'SendTaskHeartbeat');
    task.heartbeats += 1;
  }

  private register(token: string): PendingTask {
    const found = this.tasks.get(token);
    if (found) return found;
    let resolve!: (o: TaskOutcome) => void;
    const promise = new Promise<TaskOutcome>((r) => {
      resolve = r;
    });
    const task: PendingTask = { resolve, promise, done: false, heartbeats: 0 };
    this.tasks.set(token, task);
    return task;
  }

  private live(token: string, operation: string): PendingTask {
    if (!token)
      throw new AwsProviderError('sfn', operation, 'validation', 'InvalidToken: the task token is empty');
    const task = this.tasks.get(token);
    if (!task)
      throw new AwsProviderError('sfn', operation, 'not_found', 'TaskDoesNotExist: no task with this token');
    if (task.done)
      throw new AwsProviderError(
        'sfn',
        operation,
        'not_found',
        'TaskTimedOut: the task was already completed',
      );
    return task;
  }

  private settle(token: string, operation: string): PendingTask {
    const task = this.live(token, operation);
    task.done = true;
    return task;
  }
}
