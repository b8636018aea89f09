import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { awsCall, errorKind } from '../shared/errors';
import { AwsProviderError, type BusEvent, type EventBridgeProvider } from '../types';

/** PutEvents takes at most 10 entries per request. */
export const PUT_EVENTS_BATCH = 10;

/** EventBridge on the SDK. A partly failed PutEvents (FailedEntryCount > 0) is an error naming the failed entries. */
export class SdkEventBridge implements EventBridgeProvider {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async putEvents(events: BusEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += PUT_EVENTS_BATCH) {
      const batch = events.slice(i, i + PUT_EVENTS_BATCH);
      const out = await awsCall('events', 'PutEvents', (abortSignal) =>
        this.client.send(
          new PutEventsCommand({
            Entries: batch.map((e) => ({
              EventBusName: this.busName,
              Source: e.source,
              DetailType: e.detail_type,
              Detail: JSON.stringify(e.detail),
              ...(e.time ? { Time: e.time } : {}),
            })),
          }),
          { abortSignal },
        ),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const failed = (out.Entries ?? [])
          .map((entry, j) => ({ entry, event: batch[j]! }))
          .filter(({ entry }) => entry.ErrorCode);
        const first = failed[0]?.entry.ErrorCode;
        const detail = failed
          .map(
            ({ entry, event }) =>
              `${event.detail_type}: ${entry.ErrorCode}${entry.ErrorMessage ? ` (${entry.ErrorMessage})` : ''}`,
          )
          .join('; ');
        throw new AwsProviderError(
          'events',
          'PutEvents',
          first ? errorKind({ name: first }) : 'unknown',
          `${out.FailedEntryCount} of ${batch.length} entries failed: ${detail}`,
        );
      }
    }
  }
}
