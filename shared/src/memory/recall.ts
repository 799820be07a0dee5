/**
 * Recall: which past messages, summaries and facts matter to the turn being sent. A BM25 index kept
 * up to date one message at a time (a chat grows by one message, an edit replaces one), and a pure
 * selection that fills the memory budget with the best of them, in story order.
 */
import { BM25_B, BM25_K1, COVER_OVERRIDE_RATIO, MAX_INDEXED_CHARS, MAX_QUERY_TERMS, MIN_SCORE_RATIO, RECALL_RECENCY_WEIGHT } from './limits.ts';
import { terms } from './text-terms.ts';

export type MemoryKind = 'message' | 'summary' | 'fact';

/** One thing memory can put in the prompt. */
export interface MemoryItem {
  readonly id: string;
  readonly kind: MemoryKind;
  readonly text: string;
  /** What the item costs in the prompt, counted by the caller with the chat's tokenizer. */
  readonly tokens: number;
  /** Position in the chat, larger = newer. A summary takes the order of the newest message it covers. */
  readonly order: number;
  /** For a summary: the ids of the messages (or lower summaries) it stands for. */
  readonly covers?: readonly string[];
}

export interface RecallHit {
  id: string;
  score: number;
  item: MemoryItem;
}

export interface RecallOptions {
  /** Most hits returned (default: all that match). */
  limit?: number;
  /** Only these kinds (default: all). */
  kinds?: readonly MemoryKind[];
  /** Ids never returned, e.g. the messages already in the prompt's history. */
  exclude?: ReadonlySet<string>;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

/** Slots holding a term and how often each holds it. Parallel arrays: a query walks them several times faster than a Map. */
interface Posting {
  slots: number[];
  counts: number[];
}

interface Doc {
  item: MemoryItem;
  termFreq: Map<string, number>;
  length: number;
}

const byScoreThenId = (a: { id: string; score: number }, b: { id: string; score: number }): number =>
  b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * An incremental BM25 index over memory items. Example:
 * ```ts
 * const index = new RecallIndex();
 * index.upsert({ id: 'm1', kind: 'message', text: 'Aldric lost the silver compass', tokens: 8, order: 1 });
 * index.recall('where is the compass?'); // [{ id: 'm1', score: 0.28…, item }]
 * ```
 */
export class RecallIndex {
  private readonly k1: number;
  private readonly b: number;
  // Items live in numbered slots so a query can add scores into one typed array instead of a Map.
  private readonly docs: (Doc | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly byId = new Map<string, MemoryItem>();
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<string, Posting>();
  private totalLength = 0;
  private scratch = new Float64Array(0);

  constructor(params: Partial<Bm25Params> = {}) {
    this.k1 = params.k1 ?? BM25_K1;
    this.b = params.b ?? BM25_B;
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get(id: string): MemoryItem | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.docs[slot]?.item;
  }

  /** Every indexed item by id (a live view: do not hold it across changes). Pass it to `selectMemory` as `items`. */
  items(): ReadonlyMap<string, MemoryItem> {
    return this.byId;
  }

  /** Adds an item, or replaces the one with its id. Only a changed text is re-tokenised. */
  upsert(item: MemoryItem): void {
    const slot = this.slotOf.get(item.id);
    const doc = slot === undefined ? undefined : this.docs[slot];
    if (doc && doc.item.text === item.text) {
      doc.item = item;
      this.byId.set(item.id, item);
      return;
    }
    if (doc) this.remove(item.id);
    this.insert(item);
  }

  /** Removes an item; false when it was not there. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    const doc = slot === undefined ? undefined : this.docs[slot];
    if (slot === undefined || !doc) return false;
    for (const term of doc.termFreq.keys()) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      // Swap-remove: order within a posting does not matter, and an edit must not cost a reindex.
      const at = posting.slots.indexOf(slot);
      const lastSlot = posting.slots.pop()!;
      const lastCount = posting.counts.pop()!;
      if (at >= 0 && at < posting.slots.length) {
        posting.slots[at] = lastSlot;
        posting.counts[at] = lastCount;
      }
      if (posting.slots.length === 0) this.postings.delete(term);
    }
    this.totalLength -= doc.length;
    this.docs[slot] = undefined;
    this.slotOf.delete(id);
    this.byId.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.docs.length = 0;
    this.slotOf.clear();
    this.byId.clear();
    this.freeSlots.length = 0;
    this.postings.clear();
    this.totalLength = 0;
  }

  /** BM25 score of every item that matches the query (score > 0), by id. Feed it to `selectMemory`. */
  scores(query: string, options: Omit<RecallOptions, 'limit'> = {}): Map<string, number> {
    const out = new Map<string, number>();
    this.score(query, options, (doc, score) => out.set(doc.item.id, score));
    return out;
  }

  /** The items that match the query, best first; ties go to the smaller id so results never flicker. */
  recall(query: string, options: RecallOptions = {}): RecallHit[] {
    const hits: RecallHit[] = [];
    this.score(query, options, (doc, score) => hits.push({ id: doc.item.id, score, item: doc.item }));
    hits.sort(byScoreThenId);
    return options.limit === undefined ? hits : hits.slice(0, Math.max(0, options.limit));
  }

  private insert(item: MemoryItem): void {
    const slot = this.freeSlots.pop() ?? this.docs.length;
    const termFreq = new Map<string, number>();
    const words = terms(item.text.slice(0, MAX_INDEXED_CHARS));
    for (const term of words) termFreq.set(term, (termFreq.get(term) ?? 0) + 1);
    for (const [term, count] of termFreq) {
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = { slots: [], counts: [] }));
      posting.slots.push(slot);
      posting.counts.push(count);
    }
    this.docs[slot] = { item, termFreq, length: words.length };
    this.slotOf.set(item.id, slot);
    this.byId.set(item.id, item);
    this.totalLength += words.length;
  }

  /** The query's distinct indexed terms, rarest first, at most MAX_QUERY_TERMS of them. */
  private queryTerms(query: string): [string, Posting][] {
    const seen = new Map<string, Posting>();
    for (const term of terms(query.slice(0, MAX_INDEXED_CHARS))) {
      const posting = this.postings.get(term);
      if (posting) seen.set(term, posting);
    }
    const list = [...seen];
    if (list.length > MAX_QUERY_TERMS) {
      list.sort(([ta, a], [tb, b]) => a.slots.length - b.slots.length || (ta < tb ? -1 : 1));
      list.length = MAX_QUERY_TERMS;
    }
    return list;
  }

  private score(query: string, options: Omit<RecallOptions, 'limit'>, emit: (doc: Doc, score: number) => void): void {
    const count = this.slotOf.size;
    if (count === 0) return;
    if (this.scratch.length < this.docs.length) this.scratch = new Float64Array(Math.max(64, this.docs.length * 2));
    const acc = this.scratch;
    const touched: number[] = [];
    const avgLength = this.totalLength / count || 1;
    const { k1, b } = this;
    for (const [, posting] of this.queryTerms(query)) {
      // Lucene's BM25 idf: never negative, so a word in most items still adds a little.
      const { slots, counts } = posting;
      const idf = Math.log(1 + (count - slots.length + 0.5) / (slots.length + 0.5));
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const tf = counts[i]!;
        const length = this.docs[slot]!.length;
        if (acc[slot] === 0) touched.push(slot);
        acc[slot]! += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avgLength));
      }
    }
    const kinds = options.kinds ? new Set(options.kinds) : null;
    for (const slot of touched) {
      const doc = this.docs[slot]!;
      const score = acc[slot]!;
      acc[slot] = 0;
      if (kinds && !kinds.has(doc.item.kind)) continue;
      if (options.exclude?.has(doc.item.id)) continue;
      emit(doc, score);
    }
  }
}

export interface SelectMemoryInput {
  /** Everything memory may use (messages, summaries, facts); ids are looked up here. A Map by id is used as is. */
  items: Iterable<MemoryItem> | ReadonlyMap<string, MemoryItem>;
  /** Relevance by id, usually `RecallIndex.scores(query)`. Items without a positive score are not recalled. */
  scores: ReadonlyMap<string, number>;
  /** Tokens the memory block may fill. */
  budgetTokens: number;
  /** Ids already in the prompt (the recent history): never picked, pinned or not. */
  exclude?: ReadonlySet<string>;
  /** Ids always in (pinned facts, promoted messages), counted first, in this order. */
  pinned?: Iterable<string>;
  /** Newest item scores this share more than the oldest with the same match (default RECALL_RECENCY_WEIGHT). */
  recencyWeight?: number;
  /** A covered item is kept only when it scores this many times its summary (default COVER_OVERRIDE_RATIO). */
  coverOverrideRatio?: number;
  /** Items below this share of the best score are left out (default MIN_SCORE_RATIO). */
  minScoreRatio?: number;
  /** Tokens each picked item costs on top of its own (a separator, a speaker prefix), default 0. */
  overheadTokens?: number;
}

export interface PickedMemory {
  item: MemoryItem;
  /** Relevance after the recency prior; 0 for a pinned item the query did not match. */
  score: number;
  pinned: boolean;
}

export interface MemorySelection {
  /** Oldest first (by `order`, then id), so the block reads as a story and stays put between turns. */
  picked: PickedMemory[];
  /** Tokens of everything picked, overhead included. */
  tokens: number;
  pinnedTokens: number;
  /** The pinned items alone exceed the budget; they are all in anyway. */
  overBudget: boolean;
}

interface Candidate {
  id: string;
  item: MemoryItem;
  score: number;
}

/** Every id a summary stands for, through lower summaries too (a merged summary covers their messages). */
function coverage(item: MemoryItem, byId: ReadonlyMap<string, MemoryItem>): Set<string> {
  const out = new Set<string>();
  const stack = [...(item.covers ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id) || id === item.id) continue;
    out.add(id);
    for (const lower of byId.get(id)?.covers ?? []) stack.push(lower);
  }
  return out;
}

function itemsById(items: Iterable<MemoryItem> | ReadonlyMap<string, MemoryItem>): ReadonlyMap<string, MemoryItem> {
  if (items instanceof Map) return items as ReadonlyMap<string, MemoryItem>;
  const byId = new Map<string, MemoryItem>();
  for (const item of items as Iterable<MemoryItem>) byId.set(item.id, item);
  return byId;
}

/** Scales a raw score by the recency prior: linear in `order` from the oldest item (x1) to the newest. */
function recencyPrior(byId: ReadonlyMap<string, MemoryItem>, weight: number): (item: MemoryItem, raw: number) => number {
  let oldest = Infinity;
  let newest = -Infinity;
  for (const item of byId.values()) {
    oldest = Math.min(oldest, item.order);
    newest = Math.max(newest, item.order);
  }
  const span = newest - oldest;
  return (item, raw) => raw * (1 + weight * (span > 0 ? (item.order - oldest) / span : 1));
}

function scoredCandidates(
  input: SelectMemoryInput,
  byId: ReadonlyMap<string, MemoryItem>,
  prior: (item: MemoryItem, raw: number) => number,
  skip: (id: string) => boolean,
): Candidate[] {
  const out: Candidate[] = [];
  let best = 0;
  for (const [id, raw] of input.scores) {
    const item = byId.get(id);
    if (!item || !(raw > 0) || !Number.isFinite(raw) || skip(id)) continue;
    const score = prior(item, raw);
    out.push({ id, item, score });
    best = Math.max(best, score);
  }
  // Cut before sorting: a common word matches thousands of items, and only the head can ever be picked.
  const floor = best * (input.minScoreRatio ?? MIN_SCORE_RATIO);
  return out.filter((candidate) => candidate.score >= floor).sort(byScoreThenId);
}

/**
 * Fills a memory budget: pinned items first (always in), then the best-scoring summaries, messages and
 * facts that fit. Never an id in `exclude`. A message (or lower summary) covered by a picked summary
 * is dropped unless it scores `coverOverrideRatio` times the summary; a summary whose every covered
 * item is already in the prompt is dropped as adding nothing. Deterministic: ties go to the smaller id.
 * Example: `selectMemory({ items: index.items(), scores: index.scores(turn), budgetTokens: 2400,
 * exclude: new Set(historyIds), pinned: factIds })`.
 */
export function selectMemory(input: SelectMemoryInput): MemorySelection {
  const byId = itemsById(input.items);
  const exclude = input.exclude ?? new Set<string>();
  const ratio = input.coverOverrideRatio ?? COVER_OVERRIDE_RATIO;
  const overhead = Math.max(0, input.overheadTokens ?? 0);
  const cost = (item: MemoryItem): number => Math.max(0, item.tokens) + overhead;
  const prior = recencyPrior(byId, input.recencyWeight ?? RECALL_RECENCY_WEIGHT);

  const picked = new Map<string, PickedMemory>();
  let pinnedTokens = 0;
  for (const id of input.pinned ?? []) {
    const item = byId.get(id);
    if (!item || exclude.has(id) || picked.has(id)) continue;
    const raw = input.scores.get(id) ?? 0;
    picked.set(id, { item, score: raw > 0 && Number.isFinite(raw) ? prior(item, raw) : 0, pinned: true });
    pinnedTokens += cost(item);
  }
  // A budget that is not a number (a setting gone wrong) recalls nothing rather than everything.
  const budget = Number.isFinite(input.budgetTokens) ? input.budgetTokens : 0;
  let remaining = budget - pinnedTokens;
  // Best score among picked summaries covering each id: the bar a covered item must clear.
  const coverBar = new Map<string, number>();
  const raiseBar = (summary: PickedMemory): void => {
    for (const id of coverage(summary.item, byId)) coverBar.set(id, Math.max(coverBar.get(id) ?? 0, summary.score));
  };
  for (const pin of picked.values()) if (pin.item.kind === 'summary') raiseBar(pin);
  const beatsCover = (id: string, score: number): boolean => score >= ratio * (coverBar.get(id) ?? -Infinity);

  const tryPick = (candidate: Candidate): 'picked' | 'rejected' | 'too-big' => {
    if (!beatsCover(candidate.id, candidate.score)) return 'rejected';
    const covered = candidate.item.kind === 'summary' ? coverage(candidate.item, byId) : new Set<string>();
    // A summary replaces the picked items it covers that do not clear its bar, and makes their room its own.
    const replaced: PickedMemory[] = [];
    let staying = 0;
    for (const id of covered) {
      const other = picked.get(id);
      if (exclude.has(id) || (other && (other.pinned || other.score >= ratio * candidate.score))) staying++;
      else if (other) replaced.push(other);
    }
    if (covered.size > 0 && staying === covered.size) return 'rejected';
    const freed = replaced.reduce((sum, other) => sum + cost(other.item), 0);
    if (cost(candidate.item) > remaining + freed) return 'too-big';
    for (const other of replaced) picked.delete(other.item.id);
    const pick = { item: candidate.item, score: candidate.score, pinned: false };
    picked.set(candidate.id, pick);
    remaining += freed - cost(candidate.item);
    if (covered.size > 0) raiseBar(pick);
    return 'picked';
  };

  const candidates = scoredCandidates(input, byId, prior, (id) => exclude.has(id) || picked.has(id));
  const tooBig: Candidate[] = [];
  for (const candidate of candidates) if (tryPick(candidate) === 'too-big') tooBig.push(candidate);
  // A summary may have pushed out the messages it covers; the room they left goes to what did not fit.
  for (const candidate of tooBig) tryPick(candidate);

  const list = [...picked.values()].sort((a, b) => a.item.order - b.item.order || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  return {
    picked: list,
    tokens: list.reduce((sum, pick) => sum + cost(pick.item), 0),
    pinnedTokens,
    overBudget: pinnedTokens > budget,
  };
}
