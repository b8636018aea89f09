import type { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaProvider } from '../../providers/aws/types';
import { describeJob, type Job, jobKey } from './jobs';

/** Where listeners hand long work after acking. */
export interface JobQueue {
  enqueue(job: Job): Promise<void>;
}

export interface FailedJob {
  job: string;
  error: string;
  at: string;
}

/**
 * The local worker: runs jobs in this process with bounded concurrency; jobs with the same key
 * (incident id) run one after another. A failure is logged and kept in `failed`, never dropped silently.
 */
export class InProcessJobQueue implements JobQueue {
  readonly failed: FailedJob[] = [];
  private running = 0;
  private readonly waiting: Job[] = [];
  private readonly busyKeys = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly run: (job: Job) => Promise<void>,
    private readonly options: { concurrency?: number; logger?: Logger } = {},
  ) {}

  async enqueue(job: Job): Promise<void> {
    this.waiting.push(job);
    this.pump();
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pending(): number {
    return this.running + this.waiting.length;
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.running < limit) {
      const i = this.waiting.findIndex((j) => {
        const k = jobKey(j);
        return k === undefined || !this.busyKeys.has(k);
      });
      if (i < 0) break;
      const [job] = this.waiting.splice(i, 1) as [Job];
      const key = jobKey(job);
      if (key) this.busyKeys.add(key);
      this.running++;
      // Run on a later tick so enqueue() returns (and the listener acks) before the work starts.
      setImmediate(() => {
        this.run(job)
          .catch((e: unknown) => {
            const error = e instanceof Error ? e.message : String(e);
            this.failed.push({ job: describeJob(job), error, at: new Date().toISOString() });
            this.options.logger?.error('worker job failed', { job: describeJob(job), error });
          })
          .finally(() => {
            this.running--;
            if (key) this.busyKeys.delete(key);
            this.pump();
            if (this.running === 0 && this.waiting.length === 0) {
              const waiters = this.idleWaiters;
              this.idleWaiters = [];
              for (const w of waiters) w();
            }
          });
      });
    }
  }
}

/** In AWS: one asynchronous invoke of the worker Lambda per job (Lambda retries it and sends failures to its DLQ). */
export class LambdaJobQueue implements JobQueue {
  constructor(
    private readonly lambda: LambdaProvider,
    private readonly functionName: string,
  ) {}

  async enqueue(job: Job): Promise<void> {
    await this.lambda.invokeAsync(this.functionName, job);
  }
}
