import type { CloudAdapter, TurnContext } from 'botbuilder';

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

/**
 * Runs one Bot Framework request through the CloudAdapter without a web framework: botbuilder wants
 * an express/restify-like response, this collects what it writes. Invokes answer with their body.
 */
export async function processActivity(
  adapter: CloudAdapter,
  req: BotRequest,
  logic: (context: TurnContext) => Promise<void>,
): Promise<BotResponse> {
  const out: BotResponse = { status: 200 };
  const res = {
    socket: undefined,
    status(code: number) {
      out.status = code;
      return res;
    },
    header() {
      return res;
    },
    send(body: unknown) {
      out.body = body;
      return res;
    },
    end() {
      return res;
    },
  };
  await adapter.process({ method: req.method, headers: req.headers, body: req.body }, res, logic);
  return out;
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
