/**
 * LLM token counting with js-tiktoken's cl100k_base. The lite entry point plus one rank file keeps
 * bundles small; the encoder is built once, on first use (building it takes ~100 ms).
 * js-tiktoken ships ESM types only; its CommonJS builds are loaded with require (this project is CJS).
 */

/** The part of js-tiktoken's `Tiktoken` used here (its ESM-only types cannot be imported from CJS). */
interface Encoder {
  encode(text: string): number[];
}
type Ranks = { pat_str: string; special_tokens: Record<string, number>; bpe_ranks: string };

let encoder: Encoder | undefined;

function load(): Encoder {
  const lite = require('js-tiktoken/lite') as { Tiktoken: new (ranks: Ranks) => Encoder };
  // The CJS rank file exports the ranks object itself (no `default`), the ESM one as default.
  const mod = require('js-tiktoken/ranks/cl100k_base') as Ranks | { default: Ranks };
  const ranks = 'default' in mod ? mod.default : mod;
  return new lite.Tiktoken(ranks);
}

/** Number of cl100k_base tokens in `text`. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  encoder ??= load();
  return encoder.encode(text).length;
}
