import type { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaProvider } from '../../providers/aws/types';
import type { Config } from '../../providers/config';
import { describeJob, type Job, jobKey, roleOf, type WorkerRole } from './jobs';
import '../../providers/aws/clients/lambda';

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

/** The worker function of each role; `cards` is BOT_WORKER_FUNCTION_NAME, the one every entry knows. */
export type WorkerFunctions = { cards: string } & Partial<Record<Exclude<WorkerRole, 'cards'>, string>>;

/** The worker functions the stack configured, or undefined without BOT_WORKER_FUNCTION_NAME. */
export function workerFunctions(
  config: Pick<
    Config,
    'BOT_WORKER_FUNCTION_NAME' | 'BOT_FOLLOWUP_FUNCTION_NAME' | 'BOT_ACTIONS_FUNCTION_NAME'
  >,
): WorkerFunctions | undefined {
  if (!config.BOT_WORKER_FUNCTION_NAME) return undefined;
  return {
    cards: config.BOT_WORKER_FUNCTION_NAME,
    ...(config.BOT_FOLLOWUP_FUNCTION_NAME ? { followup: config.BOT_FOLLOWUP_FUNCTION_NAME } : {}),
    ...(config.BOT_ACTIONS_FUNCTION_NAME ? { actions: config.BOT_ACTIONS_FUNCTION_NAME } : {}),
  };
}

/**
 * In AWS: one asynchronous invoke per job (Lambda retries it and sends failures to its DLQ), to the
 * worker function of the job's role. Given one name (or no function for a role), jobs go to the cards
 * worker, which forwards them to the function of their role (bot/worker/handler.ts).
 */
export class LambdaJobQueue implements JobQueue {
  private readonly functions: WorkerFunctions;

  constructor(
    private readonly lambda: LambdaProvider,
    functions: string | WorkerFunctions,
  ) {
    this.functions = typeof functions === 'string' ? { cards: functions } : functions;
  }

  async enqueue(job: Job): Promise<void> {
    await this.lambda.invokeAsync(this.functions[roleOf(job)] ?? this.functions.cards, job);
  }
}
