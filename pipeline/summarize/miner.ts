/**
 * Online template mining in the manner of Drain (He et al., ICWS 2017): a fixed-depth parse tree
 * routes a masked message by its token count and its first tokens to a small list of template
 * groups; the most similar group absorbs the message when similarity reaches a fixed threshold,
 * turning the positions that differ into `<*>`, otherwise a new group starts.
 * Settings are global constants (no per-format tuning). Group ids are assigned in first-seen order,
 * so the same input in the same order always yields the same ids.
 */
import { lastHashCheck, maskEquals, maskHashSmall, maskRange, WILDCARD } from './mask';

export interface MinerOptions {
  /** Share of equal (non-wildcard) tokens needed to join a group. */
  similarity?: number;
  /** Tree depth as in Drain: depth − 2 leading tokens are used for routing. */
  depth?: number;
  /** Children per tree node before new tokens fall into the wildcard branch. */
  maxChildren?: number;
  /** Bound on the exact-match cache of masked messages (memory guard on endless streams). */
  cacheSize?: number;
  /**
   * Confirm each exact-repeat cache hit character by character. Off by default: a hit already
   * needs two independent hashes of the masked message to agree (62 bits; with 200,000 distinct
   * messages the chance of any false hit is about 1e-9), and confirming halves the throughput.
   */
  confirmRepeats?: boolean;
}

export const DEFAULT_MINER_OPTIONS: Required<MinerOptions> = {
  similarity: 0.7,
  depth: 4,
  maxChildren: 100,
  cacheSize: 200_000,
  confirmRepeats: false,
};

/** One template group as the miner keeps it. */
export interface MinedGroup {
  /** 0-based index; the display id is `T${index + 1}`. */
  readonly index: number;
  tokens: string[];
  count: number;
}

interface CacheEntry {
  masked: string;
  /** Second, independent 32-bit hash of `masked`: a mismatch rules the entry out without a compare. */
  check: number;
  group: MinedGroup;
  next: CacheEntry | undefined;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  groups: MinedGroup[];
}

function newNode(): TreeNode {
  return { children: new Map(), groups: [] };
}

export function groupIdOf(index: number): string {
  return `T${index + 1}`;
}

function hasDigit(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

export class TemplateMiner {
  private readonly opts: Required<MinerOptions>;
  private readonly root = new Map<number, TreeNode>();
  private readonly all: MinedGroup[] = [];
  /** Exact-repeat cache: hash of the masked message → entries (chained on the rare collision). */
  private readonly cache = new Map<number, CacheEntry>();
  private cached = 0;
  private readonly templateText: (string | undefined)[] = [];

  constructor(options: MinerOptions = {}) {
    const d = DEFAULT_MINER_OPTIONS;
    this.opts = {
      similarity: options.similarity ?? d.similarity,
      depth: options.depth ?? d.depth,
      maxChildren: options.maxChildren ?? d.maxChildren,
      cacheSize: options.cacheSize ?? d.cacheSize,
      confirmRepeats: options.confirmRepeats ?? d.confirmRepeats,
    };
  }

  /** The masking the miner applies before matching. */
  mask(message: string): string {
    return maskRange(message, 0);
  }

  /** Adds one message; returns its group id (`T1`, `T2`, … in first-seen order) and current template. */
  add(message: string): { groupId: string; template: string } {
    const g = this.addMasked(maskRange(message, 0));
    return { groupId: groupIdOf(g.index), template: this.template(g.index) };
  }

  /**
   * Hot path: adds `line` from index `from` on (e.g. after a header) and returns the 0-based group
   * index. An exact repeat of an earlier masked message costs one hashing pass over the line and
   * one Map lookup, with no string built (see `confirmRepeats`).
   */
  addIndex(line: string, from = 0): number {
    const h = maskHashSmall(line, from);
    const check = lastHashCheck();
    for (let e = this.cache.get(h); e; e = e.next) {
      if (e.check === check && (!this.opts.confirmRepeats || maskEquals(line, from, e.masked))) {
        e.group.count++;
        return e.group.index;
      }
    }
    return this.insert(h, check, maskRange(line, from)).index;
  }

  /** Adds an already masked message (see `maskVariables`). */
  addMasked(masked: string): MinedGroup {
    const h = maskHashSmall(masked, 0);
    const check = lastHashCheck();
    for (let e = this.cache.get(h); e; e = e.next) {
      if (e.masked === masked) {
        e.group.count++;
        return e.group;
      }
    }
    return this.insert(h, check, masked);
  }

  private insert(h: number, check: number, masked: string): MinedGroup {
    const tokens = masked === '' ? [] : masked.split(' ');
    const group = this.place(tokens);
    if (this.cached >= this.opts.cacheSize) {
      this.cache.clear();
      this.cached = 0;
    }
    this.cache.set(h, { masked, check, group, next: this.cache.get(h) });
    this.cached++;
    return group;
  }

  private place(tokens: string[]): MinedGroup {
    const leaf = this.leafFor(tokens);
    let best: MinedGroup | undefined;
    let bestSim = -1;
    let bestWild = -1;
    for (const g of leaf.groups) {
      // Similarity over the template's literal positions: a position already known to vary says
      // nothing about whether this line belongs here.
      let same = 0;
      let wild = 0;
      let literal = 0;
      const gt = g.tokens;
      for (let i = 0; i < gt.length; i++) {
        const t = gt[i];
        if (t === WILDCARD) wild++;
        else {
          literal++;
          if (t === tokens[i]) same++;
        }
      }
      const sim = literal === 0 ? 1 : same / literal;
      if (sim > bestSim || (sim === bestSim && wild > bestWild)) {
        best = g;
        bestSim = sim;
        bestWild = wild;
      }
    }
    if (best && bestSim >= this.opts.similarity) {
      const gt = best.tokens;
      for (let i = 0; i < gt.length; i++) {
        if (gt[i] !== tokens[i] && gt[i] !== WILDCARD) {
          gt[i] = WILDCARD;
          this.templateText[best.index] = undefined;
        }
      }
      best.count++;
    } else {
      best = { index: this.all.length, tokens, count: 1 };
      this.all.push(best);
      this.templateText.push(undefined);
      leaf.groups.push(best);
    }
    return best;
  }

  /** Current template text of a group (positions seen to vary are `<*>`). */
  template(index: number): string {
    let t = this.templateText[index];
    if (t === undefined) {
      t = (this.all[index]?.tokens ?? []).join(' ');
      this.templateText[index] = t;
    }
    return t;
  }

  /** All groups in first-seen order. */
  groups(): readonly MinedGroup[] {
    return this.all;
  }

  private leafFor(tokens: string[]): TreeNode {
    let node: TreeNode | undefined = this.root.get(tokens.length);
    if (!node) {
      node = newNode();
      this.root.set(tokens.length, node);
    }
    const levels = Math.min(this.opts.depth - 2, tokens.length);
    for (let d = 0; d < levels; d++) {
      const raw = tokens[d];
      const tok = hasDigit(raw) || raw.includes(WILDCARD) ? WILDCARD : raw;
      let next: TreeNode | undefined = node.children.get(tok);
      if (!next) {
        // A full node sends new tokens down its wildcard branch (bounded fan-out).
        const key = node.children.size < this.opts.maxChildren ? tok : WILDCARD;
        next = node.children.get(key);
        if (!next) {
          next = newNode();
          node.children.set(key, next);
        }
      }
      node = next;
    }
    return node;
  }
}
