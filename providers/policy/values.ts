/**
 * Exact integer values. A parameter value is written to the engine as text, and engines read text
 * their own way (PostgreSQL reads `050` as octal 40, some accept `0x…` or `5e3`): the policy accepts
 * only plain decimal integers and writes back the canonical form it checked.
 */
export type IntegerParse = { ok: true; value: number; canonical: string } | { ok: false; reason: string };

const PLAIN_DECIMAL = /^(0|-?[1-9][0-9]*)$/;

export function parsePlainInteger(raw: unknown, what: string): IntegerParse {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw)) return { ok: false, reason: `${what}=${raw} is not a whole number` };
    return { ok: true, value: raw, canonical: String(raw) };
  }
  if (typeof raw !== 'string') return { ok: false, reason: `${what} must be a plain decimal integer` };
  if (!PLAIN_DECIMAL.test(raw))
    return {
      ok: false,
      reason: `${what}=${JSON.stringify(raw)} is not a plain decimal integer (only digits: no spaces, leading zeros, sign, exponent, hex or unit)`,
    };
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) return { ok: false, reason: `${what}=${raw} is too large` };
  return { ok: true, value, canonical: String(value) };
}

/** The canonical text of a value the policy already accepted; throws for one it would refuse. */
export function canonicalInteger(raw: unknown, what: string): string {
  const p = parsePlainInteger(raw, what);
  if (!p.ok) throw new Error(p.reason);
  return p.canonical;
}

/** The current value as the engine reports it: a number, or why it is not one. */
export type CurrentValue = { known: true; value: number } | { known: false; why: string };

export function readCurrentValue(raw: string | null | undefined, what: string): CurrentValue {
  if (raw === null || raw === undefined || raw.trim() === '')
    return { known: false, why: `the current value of ${what} is not set (engine default, unknown here)` };
  const text = raw.trim();
  if (text.startsWith('{') || /[A-Za-z]/.test(text))
    return { known: false, why: `the current value of ${what} is a formula (${text.slice(0, 80)})` };
  const p = parsePlainInteger(text, what);
  if (!p.ok)
    return { known: false, why: `the current value of ${what} (${text.slice(0, 80)}) is not a plain number` };
  return { known: true, value: p.value };
}
