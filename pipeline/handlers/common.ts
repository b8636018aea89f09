import * as z from 'zod';
import { type LambdaContext, withLambdaLogging } from '../../providers/logging';
// X-Ray: AWS clients and LLM calls traced in every workflow step.
import '../../providers/tracing';
import { getRuntime, type Runtime } from '../../providers/runtime';
import { isTransient } from '../remediation/retry';

/** Parses a handler's event with its schema; a bad event fails with the field that was wrong. */
export function parseEvent<S extends z.ZodType>(handler: string, schema: S, event: unknown): z.output<S> {
  const r = schema.safeParse(event);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new InvalidInputError(`${handler}: bad input at ${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Not worth a retry: the workflow's Retry lists exclude it by name. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/** The `{Error, Cause}` a Catch puts in the state. */
export const CaughtError = z.object({ Error: z.string(), Cause: z.string().optional() });
export type CaughtError = z.infer<typeof CaughtError>;

/** A readable one-liner from a caught Lambda error (its Cause is often JSON with errorMessage). */
export function describeCaught(e: CaughtError | undefined): string | undefined {
  if (!e) return undefined;
  let message = e.Cause ?? '';
  try {
    const c = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof c.errorMessage === 'string') message = c.errorMessage;
  } catch {
    // not JSON: keep the text
  }
  return message ? `${e.Error}: ${message}` : e.Error;
}

/** The name the workflow's Retry matches: a throttled, timed-out or unavailable AWS call. */
export class TransientError extends Error {
  override name = 'TransientError';
}

/**
 * A Lambda entry: runtime, validated event, and errors named for the workflow's Retry/Catch
 * (Step Functions sees a Lambda error's name as its Error).
 */
export function lambdaEntry<S extends z.ZodType, R>(
  name: string,
  schema: S,
  fn: (rt: Runtime, input: z.output<S>) => Promise<R>,
): (event: unknown, context?: LambdaContext) => Promise<R> {
  // Every log line of the invocation carries the request id, cold start, incident and execution id.
  return withLambdaLogging(async (event: unknown) => {
    const input = parseEvent(name, schema, event);
    try {
      return await fn(await getRuntime(), input);
    } catch (e) {
      if (isTransient(e)) throw new TransientError(`${name}: ${(e as Error).message}`, { cause: e });
      throw e;
    }
  });
}
