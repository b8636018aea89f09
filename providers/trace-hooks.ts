/**
 * Where tracing plugs in, without loading a tracer: the AWS providers pass every SDK client through
 * `captureClient`, the LLM client runs every call in `span`. By default both do nothing; a Lambda
 * entry that wants X-Ray imports providers/tracing, which installs Powertools Tracer here. The Slack
 * ingress does not (its 3-second ack budget and bundle size matter more than its spans).
 */
export interface TraceHooks {
  captureClient<T>(client: T): T;
  span<R>(
    name: string,
    annotations: Record<string, string | number | boolean>,
    fn: () => Promise<R>,
  ): Promise<R>;
}

const none: TraceHooks = {
  captureClient: (client) => client,
  span: (_name, _annotations, fn) => fn(),
};

let hooks: TraceHooks = none;

export function setTraceHooks(h: TraceHooks | undefined): void {
  hooks = h ?? none;
}

export function traceHooks(): TraceHooks {
  return hooks;
}
