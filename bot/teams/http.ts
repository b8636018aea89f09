import type { CloudAdapter, Request, TurnContext, WebResponse } from '@microsoft/agents-hosting';
import { ZodError } from 'zod';

/** What the adapter needs of a request: the parsed JSON body and the headers (Authorization). */
export interface BotRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface BotResponse {
  status: number;
  body?: unknown;
}

/** What a caller may learn when something failed: never the error itself (that goes to the log). */
export const GENERIC_ERRORS = {
  unauthorized: 'unauthorized: the request carries no valid Bot Framework token for this bot',
  invalid: 'the body is not a valid Bot Framework activity',
  internal: 'the bot could not handle the activity',
} as const;

/** The adapter's 401 and 5xx bodies may carry internal text (JWKS fetch errors, stack messages): replace them. */
function sanitize(out: BotResponse): BotResponse {
  if (out.status === 401 || out.status === 403)
    return { status: out.status, body: GENERIC_ERRORS.unauthorized };
  if (out.status >= 500) return { status: out.status, body: GENERIC_ERRORS.internal };
  return out;
}

/**
 * Runs one Bot Framework request through the Agents SDK's CloudAdapter without a web framework:
 * first `authorizeRequest` (the JWT check; anonymous only when no app id is configured), then
 * `process`. The SDK wants an express-like response; this collects what it writes. Invokes answer
 * with their body. Errors are reported through `onError` and answered with a generic message.
 */
export async function processActivity(
  adapter: CloudAdapter,
  req: BotRequest,
  logic: (context: TurnContext) => Promise<void>,
  onError: (error: Error) => void = () => {},
): Promise<BotResponse> {
  const out: BotResponse = { status: 200 };
  const res: WebResponse = {
    headersSent: false,
    writableEnded: false,
    status(code: number) {
      out.status = code;
      return res;
    },
    setHeader() {
      return res;
    },
    send(body?: unknown) {
      out.body = body;
      res.headersSent = true;
      return res;
    },
    end() {
      res.writableEnded = true;
      return res;
    },
  };
  const request: Request = { method: req.method, headers: req.headers, body: req.body };
  try {
    let authorized = false;
    await adapter.authorizeRequest(request, res, () => {
      authorized = true;
    });
    if (!authorized) return sanitize(out.status === 200 ? { status: 401 } : out);
    await adapter.process(request, res, logic);
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    onError(error);
    // The SDK validates the activity with zod: a malformed one is the caller's mistake.
    if (e instanceof ZodError || error.name === 'ZodError')
      return { status: 400, body: GENERIC_ERRORS.invalid };
    return { status: 500, body: GENERIC_ERRORS.internal };
  }
  return sanitize(out);
}

/** Parses a request body as a JSON object, or says what is wrong with it. */
export function parseBody(
  raw: string,
): { ok: true; body: Record<string, unknown> } | { ok: false; error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'the body is not JSON (expected a Bot Framework activity)' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { ok: false, error: 'the body is not a JSON object (expected a Bot Framework activity)' };
  return { ok: true, body: doc as Record<string, unknown> };
}
