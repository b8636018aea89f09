import { AwsProviderError } from '../types';
import type { ErrorKind } from './errors';

/**
 * Fault injection for the mocks: `failNext(op, kind, n)` makes the next n calls of `op` fail with an
 * AwsProviderError of that kind, as the real provider would after mapping the SDK error.
 */
export class FaultInjector {
  private readonly pending = new Map<string, { kind: ErrorKind; remaining: number }[]>();

  constructor(private readonly service: string) {}

  failNext(operation: string, kind: ErrorKind, n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`failNext: n must be a positive integer, got ${n}`);
    const queue = this.pending.get(operation) ?? [];
    queue.push({ kind, remaining: n });
    this.pending.set(operation, queue);
  }

  /** Forgets every pending fault. */
  clear(): void {
    this.pending.clear();
  }

  /** Called at the start of every mock operation: throws if a fault is due. */
  check(operation: string): void {
    const queue = this.pending.get(operation);
    const head = queue?.[0];
    if (!queue || !head) return;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    throw new AwsProviderError(this.service, operation, head.kind, `injected fault (${head.kind})`);
  }
}

/** What every mock offers for fault tests. */
export interface FaultInjectable {
  failNext(operation: string, kind: ErrorKind, n?: number): void;
}
