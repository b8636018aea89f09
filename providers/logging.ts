import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { RedactingLogFormatter } from './redact/logger';

/** The Lambda context Powertools reads (request id, function name/arn/version, memory, cold start). */
export type LambdaContext = Parameters<Logger['addContext']>[0];

/** Keys every line of one invocation carries besides the Lambda context. */
export interface InvocationKeys {
  incident_id?: string;
  /** The Step Functions execution (ARN) the invocation belongs to. */
  execution_id?: string;
}

// Weak: a logger made per client (the LLM's) is dropped with it, not kept for the process's life.
let registry: WeakRef<Logger>[] = [];
const live = (): Logger[] => registry.map((r) => r.deref()).filter((l): l is Logger => l !== undefined);
let current: { context?: LambdaContext; keys: Record<string, string> } | undefined;

const definedKeys = (k: InvocationKeys): Record<string, string> =>
  Object.fromEntries(Object.entries(k).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<
    string,
    string
  >;

/**
 * A Powertools Logger for one part of the product (`bdp-notify`, `bdp-agent`, …). Every logger made
 * here is registered, so a Lambda invocation's context and keys (see `withLambdaLogging`) reach every
 * line, whichever module writes it — including loggers created during the invocation.
 */
export function serviceLogger(serviceName: string, options: { logLevel?: string } = {}): Logger {
  // Every line passes the redactor: log text can quote samples, answers and errors.
  const logger = new Logger({
    serviceName,
    logFormatter: new RedactingLogFormatter(),
    ...(options.logLevel ? { logLevel: options.logLevel as never } : {}),
  });
  registry = registry.filter((r) => r.deref() !== undefined);
  registry.push(new WeakRef(logger));
  if (current?.context) logger.addContext(current.context);
  if (current) logger.appendKeys(current.keys);
  return logger;
}

/** The incident and execution a workflow/worker event is about, wherever the event shape keeps them. */
export function invocationKeysOf(event: unknown): InvocationKeys {
  const e = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const state = obj(e.state) ?? obj(obj(e.notice)?.state) ?? e;
  return {
    incident_id: str(obj(state.incident)?.incident_id) ?? str(obj(e.incident)?.incident_id),
    execution_id: str(state.execution_id) ?? str(e.execution_id) ?? str(e.execution_arn),
  };
}

/**
 * Wraps a Lambda handler with Powertools' `injectLambdaContext` over every registered logger: each
 * line carries the request id, cold start and function, plus the incident id and Step Functions
 * execution id found in the event; keys are reset after the invocation (warm starts start clean).
 * Called without a context (local runs, tests), only the keys are added.
 */
export function withLambdaLogging<E, R, A extends unknown[]>(
  handler: (event: E, context?: LambdaContext, ...rest: A) => Promise<R>,
  keysOf: (event: E) => InvocationKeys = invocationKeysOf,
): (event: E, context?: LambdaContext, ...rest: A) => Promise<R> {
  return async (event, context, ...rest) => {
    const keys = definedKeys(keysOf(event));
    const loggers = live();
    const mw = injectLambdaContext(loggers, { resetKeys: true });
    // Powertools' middleware is middy-shaped; we drive its hooks ourselves (no middy dependency).
    const request = { event, context: context as LambdaContext, response: null, error: null, internal: {} };
    if (context) await mw.before!(request as never);
    current = { context, keys };
    for (const l of loggers) l.appendKeys(keys);
    try {
      const result = await handler(event, context, ...rest);
      if (context) await mw.after!(request as never);
      return result;
    } catch (error) {
      if (context) await mw.onError!({ ...request, error } as never);
      throw error;
    } finally {
      current = undefined;
      for (const l of live()) l.resetKeys();
    }
  };
}
