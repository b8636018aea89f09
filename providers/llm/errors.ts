import { LLMError, type LLMErrorKind, type LLMProviderName } from './types';

/** What the retry loop knows about an attempt that failed, beyond the error itself. */
export interface FailureContext {
  /** Our per-attempt timer fired. */
  timedOut: boolean;
  /** The caller's signal fired. */
  aborted: boolean;
  /** Values that must never appear in a message (API keys). */
  secrets: readonly string[];
  /** The per-attempt limit, named in timeout messages. */
  timeoutMs?: number;
}

// Error codes Node/undici put on a failed socket (directly or on `cause`).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

type ErrorLike = {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  statusCode?: unknown;
  code?: unknown;
  cause?: unknown;
};

const asObject = (e: unknown): ErrorLike => (e && typeof e === 'object' ? (e as ErrorLike) : {});

/** The HTTP status an SDK error carries (openai's APIError `status`, @langchain/google's RequestError `statusCode`). */
function statusOf(e: unknown): number | undefined {
  const o = asObject(e);
  const s = o.status ?? o.statusCode;
  return typeof s === 'number' && s >= 100 && s < 600 ? s : undefined;
}

function isNetworkFailure(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = asObject(cur).cause, depth++) {
    const o = asObject(cur);
    if (typeof o.code === 'string' && NETWORK_CODES.has(o.code)) return true;
    // openai: APIConnectionError ("Connection error."); fetch: TypeError("fetch failed").
    if (o.name === 'APIConnectionError' || (cur as object).constructor?.name === 'APIConnectionError')
      return true;
    if (typeof o.message === 'string' && /fetch failed|socket hang up|other side closed/i.test(o.message))
      return true;
  }
  return false;
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  // Short values (e.g. vLLM's default "EMPTY") are not secrets worth masking and would garble text.
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('(hidden)');
  return out.length > 500 ? `${out.slice(0, 500)}…` : out;
}

/** Maps whatever an attempt threw to a typed LLMError. Anything after a 2xx that is not an answer is malformed. */
export function toLLMError(provider: LLMProviderName, error: unknown, ctx: FailureContext): LLMError {
  if (error instanceof LLMError) return error;
  const raw = asObject(error).message;
  const message = redact(typeof raw === 'string' ? raw : String(error), ctx.secrets);
  const status = ctx.aborted || ctx.timedOut ? undefined : statusOf(error);
  let kind: LLMErrorKind;
  if (ctx.aborted) kind = 'aborted';
  else if (ctx.timedOut) kind = 'timeout';
  else if (status !== undefined) kind = 'http';
  else if (isNetworkFailure(error)) kind = 'network';
  else kind = 'malformed';
  const text =
    kind === 'timeout'
      ? `no answer within ${ctx.timeoutMs ?? '?'} ms`
      : kind === 'aborted'
        ? 'cancelled by the caller'
        : kind === 'malformed'
          ? `the answer is not a usable completion (${message})`
          : message;
  return new LLMError(provider, kind, text, status, { cause: error });
}

/** Worth another attempt: the server may answer next time (timeouts, no connection, 408, 429, 5xx). */
export function isRetryable(error: LLMError): boolean {
  switch (error.kind) {
    case 'timeout':
    case 'network':
      return true;
    case 'http':
      return error.status === 408 || error.status === 429 || (error.status ?? 0) >= 500;
    default:
      return false;
  }
}
