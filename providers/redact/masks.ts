/**
 * Cheap, synchronous masks for the secret shapes that reach logs, prompts and cards most often.
 * They run everywhere (also where nothing may wait, e.g. a log line or a card render); the
 * maintained detector (secretlint, see detector.ts) runs on top where the caller can await it.
 */
export const REDACTED = '[REDACTED]';

interface Mask {
  name: string;
  re: RegExp;
  replace: (m: string, ...groups: string[]) => string;
}

const tag = (name: string) => () => `[REDACTED:${name}]`;

/** Values that are never secrets on their own: plain numbers, booleans, nulls, already masked. */
const HARMLESS_VALUE = /^(\d{1,15}|true|false|null|none|undefined|\[REDACTED(:[a-z_]+)?\])$/i;
/** Keys whose value is a secret whatever it looks like. */
const ALWAYS_SECRET_KEY = /(passw(or)?d|passwd|pwd|secret)/i;

const MASKS: Mask[] = [
  {
    name: 'private_key',
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: tag('private_key'),
  },
  {
    // scheme://user:password@host — keep scheme, user and host readable.
    name: 'url_credentials',
    re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s:@/?#]*):([^\s@/?#]+)@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${REDACTED}@`,
  },
  {
    name: 'slack_webhook',
    re: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
    replace: tag('slack_webhook'),
  },
  { name: 'jwt', re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: tag('jwt') },
  {
    name: 'authorization',
    re: /\b(Bearer|Basic|Token|Digest)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/g,
    replace: (_m, scheme, sp) => `${scheme}${sp}${REDACTED}`,
  },
  {
    name: 'aws_access_key_id',
    re: /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    replace: tag('aws_access_key_id'),
  },
  { name: 'slack_token', re: /\bxox[abposre]-[A-Za-z0-9-]{8,}/g, replace: tag('slack_token') },
  { name: 'slack_app_token', re: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, replace: tag('slack_token') },
  {
    name: 'github_token',
    re: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g,
    replace: tag('github_token'),
  },
  { name: 'gitlab_token', re: /\bglpat-[A-Za-z0-9_-]{20,}/g, replace: tag('gitlab_token') },
  { name: 'google_api_key', re: /\bAIza[0-9A-Za-z_-]{35}/g, replace: tag('google_api_key') },
  { name: 'stripe_key', re: /\b[rs]k_(live|test)_[0-9A-Za-z]{16,}/g, replace: tag('stripe_key') },
  { name: 'npm_token', re: /\bnpm_[A-Za-z0-9]{36}\b/g, replace: tag('npm_token') },
  { name: 'openai_key', re: /\bsk-(proj-|ant-)?[A-Za-z0-9_-]{20,}/g, replace: tag('api_key') },
  { name: 'sendgrid_key', re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, replace: tag('api_key') },
  {
    // key=value / key: value / "key": "value" where the key names a secret. A colon needs a space or
    // a quote, so IAM actions (secretsmanager:GetSecretValue) and ARNs stay readable.
    name: 'key_value',
    re: /((?:[A-Za-z0-9_.-]*?)(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|authorization|auth[_-]?token|credentials?|session[_-]?(?:id|token)|cookie|signing[_-]?key|dsn)(?:[A-Za-z0-9_.-]*))(["']?\s*=\s*["']?|["']\s*:\s*["']?|:\s+["']?)([^\s"',;&}<>]+)/gi,
    replace: (m, key, sep, value) =>
      HARMLESS_VALUE.test(value) && !(ALWAYS_SECRET_KEY.test(key) && !/^\[REDACTED/.test(value))
        ? m
        : `${key}${sep}${REDACTED}`,
  },
  {
    name: 'email',
    re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    replace: tag('email'),
  },
];

/** Any character that could start one of the shapes above: text without them is returned as is. */
const MAY_HOLD_SECRET =
  /[@=:]|BEGIN|eyJ|AKIA|ASIA|ABIA|ACCA|xox|xapp|gh[pousr]_|github_pat|glpat|AIza|_live_|_test_|npm_|sk-|SG\.|Bearer|Basic|Token|Digest/;

export function maskSecrets(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const m of MASKS) out = out.replace(m.re, m.replace as (s: string, ...a: string[]) => string);
  return out;
}
