import { randomBytes } from 'node:crypto';

/** Crockford base32 (no I, L, O, U): ULIDs compare as strings in time order. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LEN = 10; // 48-bit milliseconds
const RANDOM_LEN = 16; // 80 bits
const MAX_TIME = 2 ** 48 - 1;

/** The 10-character time prefix of every ULID made in millisecond `ms`. */
export function encodeUlidTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIME) throw new Error(`ulid: time ${ms} out of range`);
  let out = '';
  let t = ms;
  for (let i = 0; i < TIME_LEN; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** The millisecond a ULID was made in (undefined when `s` is not a ULID). */
export function ulidTime(s: string): number | undefined {
  if (!isUlid(s)) return undefined;
  let t = 0;
  for (const c of s.slice(0, TIME_LEN)) t = t * 32 + ALPHABET.indexOf(c);
  return t;
}

export const isUlid = (s: string): boolean => /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(s);

/** Smallest and largest ULID of millisecond `ms`: a time range query becomes a key range. */
export const ulidLowerBound = (ms: number) => encodeUlidTime(ms) + '0'.repeat(RANDOM_LEN);
export const ulidUpperBound = (ms: number) => encodeUlidTime(ms) + 'Z'.repeat(RANDOM_LEN);

/** 80 random bits as 16 base32 digits (each digit holds 5 bits). */
function randomDigits(): number[] {
  const b = randomBytes(RANDOM_LEN);
  return [...b].map((x) => x & 31);
}

/**
 * A monotonic ULID factory: within one millisecond the random part of the previous ULID is
 * incremented, so ULIDs a factory makes for one millisecond are distinct and sort in the order they
 * were made. The time prefix is always the caller's `ms` (the row's own time, which range queries
 * rely on), so an earlier `ms` starts afresh rather than borrowing the later one.
 */
export function monotonicUlid(): (ms: number) => string {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return (ms: number) => {
    if (ms !== lastTime) {
      lastTime = ms;
      lastRandom = randomDigits();
    } else {
      // Same millisecond: add one to the random part.
      let i = RANDOM_LEN - 1;
      while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0;
      if (i < 0) throw new Error('ulid: random part overflowed within one millisecond');
      lastRandom[i] += 1;
    }
    return encodeUlidTime(lastTime) + lastRandom.map((d) => ALPHABET[d]).join('');
  };
}
