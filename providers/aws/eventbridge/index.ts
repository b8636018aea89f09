/** EventBridge: PutEvents on the SDK (failed entries are errors) and the recording mock. */
export { MAX_ENTRY_BYTES, MockEventBridge } from './mock';
export { PUT_EVENTS_BATCH, SdkEventBridge } from './real';
