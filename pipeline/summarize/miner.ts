/**
 * Online template mining in the manner of Drain (He et al., ICWS 2017): a fixed-depth parse tree
 * routes a masked message by its token count and its first tokens to a small list of template
 * groups; the most similar group absorbs the message when similarity reaches a fixed threshold,
 * turning the positions that differ into `<*>`, otherwise a new group starts.
 * Settings are global constants (no per-format tuning). Group ids are assigned in first-seen order,
 * so the same input in the same order always yields the same ids.
 *
 * Unlike Drain, two messages that differ in a plain word at one position and fall in different
 * leaves (`alice logged in` / `bob logged in`) are not left apart for good: they
 * form separate groups until that position has shown `wordVariety` different words among groups
 * that are otherwise equal, then those groups merge into one with `<*>` there (a user name varies
 * a lot, a protocol or verb little). The comparison is by position over all groups of a token
 * count, so a variable first word (routing in Drain) is caught too; two word positions that vary
 * together (`from NEW to QUEUED`) likewise. A template that becomes more general also takes in the
 * groups of its leaf it now covers. Merged groups keep their index; `resolve` maps any index
 * handed out earlier to the surviving group. (Holding apart words inside a Drain leaf, e.g.
 * `HTTPS` / `SOCKS`, is the `keepWordsApart` option, off by default.)
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
  /**
   * Distinct plain words seen at one position, among groups otherwise equal, before that position
   * is taken as a variable (0: merge on similarity alone, as Drain does).
   */
  wordVariety?: number;
  /**
   * Also hold apart, until `wordVariety` is reached, two messages of one Drain leaf that differ in
   * a single plain word (`… HTTPS` / `… SOCKS`). Off by default: a name with two or three values
   * (`user root` / `user nobody`) is then split as well, which cost more than it gained on held-out logs.
   */
  keepWordsApart?: boolean;
}

export const DEFAULT_MINER_OPTIONS: Required<MinerOptions> = {
  similarity: 0.7,
  depth: 4,
  maxChildren: 100,
  cacheSize: 200_000,
  confirmRepeats: false,
  wordVariety: 4,
  keepWordsApart: false,
};

/** One template group as the miner keeps it. */
export interface MinedGroup {
  /** 0-based index; the display id is `T${index + 1}`. */
  readonly index: number;
  tokens: string[];
  count: number;
  /** The group this one was merged into (internal; see `TemplateMiner.resolve`). */
  parent?: MinedGroup;
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

function find(g: MinedGroup): MinedGroup {
  let r = g;
  while (r.parent) r = r.parent;
  // Path compression: later lookups of `g` take one step.
  if (g !== r) g.parent = r;
  return r;
}

function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === 34 || c === 39;
}
function isCloser(c: number): boolean {
  return (
    c === 41 ||
    c === 93 ||
    c === 125 ||
    c === 62 ||
    c === 34 ||
    c === 39 ||
    c === 44 ||
    c === 59 ||
    c === 58 ||
    c === 46
  );
}

/**
 * A plain word, possibly wrapped in punctuation (`alice`, `(deploy)`, `HTTPS,`): two or more letters
 * (and `_`, `-`). Such a token may be a name (variable) or a keyword (literal).
 */
function isWord(t: string): boolean {
  let a = 0;
  let b = t.length;
  while (a < b && isOpener(t.charCodeAt(a))) a++;
  while (b > a && isCloser(t.charCodeAt(b - 1))) b--;
  if (b - a < 2) return false;
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i);
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** Share of the literal (non-`<*>`) positions of `template` that `tokens` repeats (1 with none). */
function literalShare(template: readonly string[], tokens: readonly string[]): number {
  let literal = 0;
  let same = 0;
  for (let i = 0; i < template.length; i++) {
    if (template[i] === WILDCARD) continue;
    literal++;
    if (template[i] === tokens[i]) same++;
  }
  return literal === 0 ? 1 : same / literal;
}

/** Literal positions two word variants must share besides the one that differs. */
const MIN_SHARED = 2;

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
  /** Surviving groups by token count: where a new group looks for its word-variant siblings. */
  private readonly byLength = new Map<number, MinedGroup[]>();
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
      wordVariety: options.wordVariety ?? d.wordVariety,
      keepWordsApart: options.keepWordsApart ?? d.keepWordsApart,
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
        let g = e.group;
        if (g.parent) {
          g = find(g);
          e.group = g;
        }
        g.count++;
        return g.index;
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
        const g = find(e.group);
        e.group = g;
        g.count++;
        return g;
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
    for (const member of leaf.groups) {
      // A group merged elsewhere may still be listed here: compare with its survivor.
      const g = member.parent ? find(member) : member;
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
    const variety = this.opts.wordVariety;
    if (
      best &&
      bestSim >= this.opts.similarity &&
      (!this.opts.keepWordsApart || variety === 0 || bestSim === 1 || !this.wordApart(best.tokens, tokens))
    ) {
      if (this.generalise(best, tokens)) this.absorbCovered(best, leaf);
      best.count++;
      return best;
    }
    if (variety > 0) {
      const covering = this.covering(tokens);
      if (covering) {
        covering.count++;
        leaf.groups.push(covering);
        return covering;
      }
    }
    const group: MinedGroup = { index: this.all.length, tokens, count: 1 };
    this.all.push(group);
    this.templateText.push(undefined);
    leaf.groups.push(group);
    let bucket = this.byLength.get(tokens.length);
    if (!bucket) {
      bucket = [];
      this.byLength.set(tokens.length, bucket);
    }
    bucket.push(group);
    return variety > 0 ? this.mergeWordVariants(group, bucket) : group;
  }

  /** Turns the positions where `tokens` differs from the template into `<*>`; true if any did. */
  private generalise(g: MinedGroup, tokens: readonly string[]): boolean {
    const gt = g.tokens;
    let changed = false;
    for (let i = 0; i < gt.length; i++) {
      if (gt[i] !== tokens[i] && gt[i] !== WILDCARD) {
        gt[i] = WILDCARD;
        this.templateText[g.index] = undefined;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * A template that just became more general takes in the groups of its leaf that it now covers
   * (all its literals there) or matches both ways (each one's literals agree with the other's at
   * the similarity threshold), which Drain would leave apart for good once formed.
   */
  private absorbCovered(g: MinedGroup, leaf: TreeNode): void {
    if (this.opts.wordVariety === 0) return;
    const threshold = this.opts.similarity;
    // Taking one in may generalise `g` further: repeat until nothing changes.
    for (let round = 0; round < 8; round++) if (!this.absorbOnce(g, leaf, threshold)) return;
  }

  private absorbOnce(g: MinedGroup, leaf: TreeNode, threshold: number): boolean {
    const covered = leaf.groups.filter(
      (o) =>
        o !== g &&
        !o.parent &&
        // Covered (every literal of `g` there), or alike both ways.
        (literalShare(g.tokens, o.tokens) === 1 ||
          (literalShare(g.tokens, o.tokens) >= threshold && literalShare(o.tokens, g.tokens) >= threshold)) &&
        !(this.opts.keepWordsApart && this.wordApart(g.tokens, o.tokens)),
    );
    if (covered.length === 0) return false;
    const bucket = this.byLength.get(g.tokens.length) ?? [];
    for (const o of covered) {
      this.generalise(g, o.tokens);
      g.count += o.count;
      o.count = 0;
      o.parent = g;
      const at = bucket.indexOf(o);
      if (at >= 0) bucket.splice(at, 1);
    }
    leaf.groups = leaf.groups.filter((o) => !o.parent);
    return true;
  }

  /**
   * Whether `tokens` differs from the template's literals at exactly one position, in a plain word
   * on both sides: a keyword or a name, which only variety over many groups tells apart.
   */
  private wordApart(template: readonly string[], tokens: readonly string[]): boolean {
    let word = false;
    for (let i = 0; i < template.length; i++) {
      const t = template[i];
      if (t === WILDCARD || t === tokens[i]) continue;
      if (word || !isWord(t) || !isWord(tokens[i])) return false;
      word = true;
    }
    return word;
  }

  /** A group of the same length whose literal positions all equal `tokens` (variable words already merged). */
  private covering(tokens: readonly string[]): MinedGroup | undefined {
    const bucket = this.byLength.get(tokens.length);
    if (!bucket) return undefined;
    for (const g of bucket) {
      const gt = g.tokens;
      let ok = true;
      let wild = 0;
      for (let i = 0; i < gt.length && ok; i++) {
        if (gt[i] === WILDCARD) wild++;
        else if (gt[i] !== tokens[i]) ok = false;
      }
      // Enough literals left that the group still says something.
      if (ok && wild > 0 && gt.length - wild >= MIN_SHARED && gt.length - wild >= wild) return g;
    }
    return undefined;
  }

  /**
   * When `g` and other groups of its length are equal but for a plain word at one position, and
   * that position has shown `wordVariety` different words, merges them into the oldest, with `<*>` there.
   */
  private mergeWordVariants(g: MinedGroup, bucket: MinedGroup[]): MinedGroup {
    const gt = g.tokens;
    for (let p = 0; p < gt.length; p++) {
      if (!isWord(gt[p])) continue;
      const family: MinedGroup[] = [];
      const words = new Set<string>([gt[p]]);
      for (const o of bucket) {
        if (o === g || !isWord(o.tokens[p])) continue;
        const ot = o.tokens;
        let ok = true;
        let shared = 0;
        for (let i = 0; i < gt.length && ok; i++) {
          if (i === p) continue;
          if (ot[i] !== gt[i]) ok = false;
          else if (gt[i] !== WILDCARD) shared++;
        }
        if (ok && shared >= MIN_SHARED) {
          family.push(o);
          words.add(ot[p]);
        }
      }
      if (words.size < this.opts.wordVariety) continue;
      family.push(g);
      family.sort((a, b) => a.index - b.index);
      const root = family[0];
      root.tokens[p] = WILDCARD;
      this.templateText[root.index] = undefined;
      for (const o of family.slice(1)) {
        root.count += o.count;
        o.count = 0;
        o.parent = root;
        bucket.splice(bucket.indexOf(o), 1);
      }
      this.replaceInLeaves(gt.length);
      return root;
    }
    return this.mergePairVariants(g, bucket);
  }

  /**
   * Word variants at two positions at once (`Transitioned from NEW to UNASSIGNED`, `… from
   * RUNNING to SUCCEEDED`): groups that differ from `g` only in plain words at the same one or two
   * positions, and share at least half their tokens as literals, merge once each of those
   * positions has shown `wordVariety` different words.
   */
  private mergePairVariants(g: MinedGroup, bucket: MinedGroup[]): MinedGroup {
    const gt = g.tokens;
    const family: MinedGroup[] = [];
    const positions: number[] = [];
    for (const o of bucket) {
      if (o === g) continue;
      const ot = o.tokens;
      let shared = 0;
      let ok = true;
      const diff: number[] = [];
      for (let i = 0; i < gt.length && ok; i++) {
        if (ot[i] === gt[i]) {
          if (gt[i] !== WILDCARD) shared++;
        } else if (isWord(ot[i]) && isWord(gt[i]) && diff.length < 2) diff.push(i);
        else ok = false;
      }
      if (!ok || diff.length === 0 || shared < MIN_SHARED || shared * 2 < gt.length) continue;
      for (const p of diff) if (!positions.includes(p)) positions.push(p);
      if (positions.length > 2) return g;
      family.push(o);
    }
    if (family.length + 1 < this.opts.wordVariety) return g;
    for (const p of positions) {
      const words = new Set([gt[p], ...family.map((o) => o.tokens[p])]);
      if (words.size < this.opts.wordVariety) return g;
    }
    family.push(g);
    family.sort((a, b) => a.index - b.index);
    const root = family[0];
    for (const p of positions) root.tokens[p] = WILDCARD;
    this.templateText[root.index] = undefined;
    for (const o of family.slice(1)) {
      root.count += o.count;
      o.count = 0;
      o.parent = root;
      bucket.splice(bucket.indexOf(o), 1);
    }
    this.replaceInLeaves(gt.length);
    return root;
  }

  /** After merges: leaves hold surviving groups only (each once). */
  private replaceInLeaves(length: number): void {
    const visit = (node: TreeNode) => {
      if (node.groups.some((x) => x.parent)) node.groups = [...new Set(node.groups.map(find))];
      for (const child of node.children.values()) visit(child);
    };
    const top = this.root.get(length);
    if (top) visit(top);
  }

  /** The surviving group of an index handed out earlier (groups merge when a word proves variable). */
  resolve(index: number): number {
    const g = this.all[index];
    return g ? find(g).index : index;
  }

  /** Current template text of a group (positions seen to vary are `<*>`). */
  template(index: number): string {
    const at = this.resolve(index);
    let t = this.templateText[at];
    if (t === undefined) {
      t = (this.all[at]?.tokens ?? []).join(' ');
      this.templateText[at] = t;
    }
    return t;
  }

  /** All surviving groups in first-seen order (merged ones are gone; see `resolve`). */
  groups(): readonly MinedGroup[] {
    return this.all.filter((g) => !g.parent);
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
