import { deliverFromOutbox, type Outbox, type RetryOptions } from '../../pipeline/notify/outbox';
import type { IncidentNotice } from '../../providers/domain';
import type { Job, SurfaceJob } from './jobs';

/** What a chat surface plugs into the worker: how it shows notices and runs the jobs it enqueued. */
export interface SurfaceWorker {
  surface: SurfaceJob['surface'];
  deliverNotice?(notice: IncidentNotice): Promise<void>;
  handleJob?(job: SurfaceJob): Promise<void>;
}

/** Routes jobs: a notice goes to every surface that shows notices; a surface job to the surface that made it. */
export class JobDispatcher {
  private readonly surfaces = new Map<string, SurfaceWorker>();

  /** With an outbox, each surface's success is recorded and a notice is retried with backoff (see outbox.ts). */
  constructor(private readonly delivery: { outbox?: Outbox; retry?: RetryOptions } = {}) {}

  register(worker: SurfaceWorker): this {
    this.surfaces.set(worker.surface, worker);
    return this;
  }

  get registered(): string[] {
    return [...this.surfaces.keys()];
  }

  async run(job: Job): Promise<void> {
    if (job.type === 'notice') {
      const sinks = [...this.surfaces.values()].filter((s) => s.deliverNotice);
      if (this.delivery.outbox)
        return deliverFromOutbox(
          this.delivery.outbox,
          job.notice,
          sinks.map((s) => ({ surface: s.surface, deliver: (n) => s.deliverNotice!(n) })),
          this.delivery.retry,
        );
      // One surface failing must not keep the others from showing the notice; the first error is rethrown.
      const results = await Promise.allSettled(sinks.map((s) => s.deliverNotice?.(job.notice)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return;
    }
    const worker = this.surfaces.get(job.surface);
    if (!worker?.handleJob) throw new Error(`No worker registered for ${job.surface} ${job.type} jobs`);
    await worker.handleJob(job);
  }
}
