import { FaultInjector } from '../shared/faults';
import { AwsProviderError, type BusEvent, type EventBridgeProvider } from '../types';

/** EventBridge's limit on one entry (detail, source, detail-type together). */
export const MAX_ENTRY_BYTES = 256 * 1024;

/** In-memory EventBridge: records what was published and passes it to subscribers (the local workspace). */
export class MockEventBridge implements EventBridgeProvider {
  readonly faults = new FaultInjector('events');
  readonly published: (BusEvent & { time: Date })[] = [];
  private readonly listeners = new Set<(e: BusEvent & { time: Date }) => void | Promise<void>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  failNext(operation: 'PutEvents', kind: AwsProviderError['kind'], n = 1): void {
    this.faults.failNext(operation, kind, n);
  }

  /** Returns an unsubscribe function. Listeners run after putEvents returns, errors are swallowed. */
  subscribe(listener: (e: BusEvent & { time: Date }) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async putEvents(events: BusEvent[]): Promise<void> {
    this.faults.check('PutEvents');
    for (const e of events) {
      if (!e.source || !e.detail_type) {
        throw new AwsProviderError(
          'events',
          'PutEvents',
          'validation',
          'every event needs a source and a detail_type',
        );
      }
      const size = Buffer.byteLength(JSON.stringify(e.detail)) + e.source.length + e.detail_type.length;
      if (size > MAX_ENTRY_BYTES) {
        throw new AwsProviderError(
          'events',
          'PutEvents',
          'validation',
          `entry of ${size} bytes exceeds ${MAX_ENTRY_BYTES}`,
        );
      }
    }
    for (const e of events) {
      const stored = {
        ...e,
        detail: JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>,
        time: e.time ?? this.now(),
      };
      this.published.push(stored);
      for (const l of this.listeners) {
        queueMicrotask(() => {
          Promise.resolve()
            .then(() => l(stored))
            .catch(() => undefined);
        });
      }
    }
  }
}
