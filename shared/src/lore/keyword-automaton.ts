/**
 * A multi-pattern substring matcher (Aho-Corasick over UTF-16 code units): built once from every plain
 * key of a book, it finds all occurrences of all keys in one pass over the text. This is what turns
 * "5,000 entries x their keys x `includes`" into one walk over the scanned messages.
 */

import { LoreError } from './errors.ts';

/** Called for every occurrence: the pattern id given to `add`, and where the occurrence ends (exclusive). */
export type OnMatch = (patternId: number, end: number) => void;

function hashEdge(state: number, symbol: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77)) >>> 7;
}

export class KeywordAutomaton {
  /** Code unit -> symbol (1-based); 0 for characters that occur in no pattern. */
  private readonly symbols = new Uint16Array(0x10000);
  private symbolCount = 0;
  /**
   * While adding: transitions as linked lists in flat arrays (each state's first edge, each edge's next
   * edge, symbol and target). Flat arrays instead of an object per state keep compiling a large book
   * from producing hundreds of thousands of small objects.
   */
  private building = true;
  private firstEdge: number[] = [-1];
  private nextEdge: number[] = [];
  private edgeSymbolList: number[] = [];
  private edgeTargetList: number[] = [];
  private readonly patternAt: number[] = [-1];
  /**
   * Transitions of non-root states in an open-addressing hash table (state, symbol) -> target: several
   * times faster to probe than a Map, and the scan does one probe per character.
   */
  private edgeState = new Int32Array(0);
  private edgeSymbol = new Int32Array(0);
  private edgeTarget = new Int32Array(0);
  private edgeMask = 0;
  private rootNext = new Int32Array(1);
  private fail = new Int32Array(1);
  /** Nearest state down the failure chain that ends a pattern, or 0. */
  private output = new Int32Array(1);
  private nodePattern = new Int32Array(1).fill(-1);

  /** Number of states; 1 means no patterns. */
  get size(): number {
    return this.patternAt.length;
  }

  /** Adds a non-empty pattern under an id. Adding the same text twice keeps the first id. */
  add(pattern: string, id: number): void {
    if (!this.building) throw new LoreError('lore/automaton-frozen', 'KeywordAutomaton: add() after build()');
    if (pattern.length === 0) return;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let symbol = this.symbols[code] ?? 0;
      if (symbol === 0) {
        symbol = ++this.symbolCount;
        this.symbols[code] = symbol;
      }
      let edge = this.firstEdge[state] ?? -1;
      while (edge !== -1 && this.edgeSymbolList[edge] !== symbol) edge = this.nextEdge[edge] ?? -1;
      if (edge !== -1) {
        state = this.edgeTargetList[edge] ?? 0;
        continue;
      }
      const next = this.patternAt.length;
      this.patternAt.push(-1);
      this.firstEdge.push(-1);
      this.nextEdge.push(this.firstEdge[state] ?? -1);
      this.edgeSymbolList.push(symbol);
      this.edgeTargetList.push(next);
      this.firstEdge[state] = this.edgeSymbolList.length - 1;
      state = next;
    }
    if (this.patternAt[state] === -1) this.patternAt[state] = id;
  }

  /** Freezes the automaton and computes failure links; called by the first `scan` if not before. */
  build(): void {
    if (!this.building) return;
    this.building = false;
    const count = this.patternAt.length;
    this.rootNext = new Int32Array(this.symbolCount + 1);
    this.fail = new Int32Array(count);
    this.output = new Int32Array(count);
    this.nodePattern = Int32Array.from(this.patternAt);
    // Table at most half full, so probes stay short.
    let size = 16;
    while (size < count * 2) size *= 2;
    this.edgeMask = size - 1;
    this.edgeState = new Int32Array(size).fill(-1);
    this.edgeSymbol = new Int32Array(size);
    this.edgeTarget = new Int32Array(size);
    const firstEdge = this.firstEdge;
    const nextEdge = this.nextEdge;
    const symbolOf = this.edgeSymbolList;
    const targetOf = this.edgeTargetList;
    for (let state = 0; state < count; state++) {
      for (let edge = firstEdge[state] ?? -1; edge !== -1; edge = nextEdge[edge] ?? -1) {
        const symbol = symbolOf[edge] ?? 0;
        const target = targetOf[edge] ?? 0;
        if (state === 0) {
          this.rootNext[symbol] = target;
          continue;
        }
        let at = hashEdge(state, symbol) & this.edgeMask;
        while ((this.edgeState[at] ?? -1) !== -1) at = (at + 1) & this.edgeMask;
        this.edgeState[at] = state;
        this.edgeSymbol[at] = symbol;
        this.edgeTarget[at] = target;
      }
    }

    const queue = new Int32Array(count);
    let tail = 0;
    for (let edge = firstEdge[0] ?? -1; edge !== -1; edge = nextEdge[edge] ?? -1) queue[tail++] = targetOf[edge] ?? 0;
    for (let head = 0; head < tail; head++) {
      const state = queue[head] ?? 0;
      for (let edge = firstEdge[state] ?? -1; edge !== -1; edge = nextEdge[edge] ?? -1) {
        const child = targetOf[edge] ?? 0;
        const failTo = this.step(this.fail[state] ?? 0, symbolOf[edge] ?? 0);
        this.fail[child] = failTo;
        this.output[child] = (this.nodePattern[failTo] ?? -1) >= 0 ? failTo : (this.output[failTo] ?? 0);
        queue[tail++] = child;
      }
    }
    this.firstEdge = [];
    this.nextEdge = [];
    this.edgeSymbolList = [];
    this.edgeTargetList = [];
  }

  /** The state after reading `symbol` in `state`, following failure links (goto function). */
  private step(state: number, symbol: number): number {
    let s = state;
    for (;;) {
      if (s === 0) return this.rootNext[symbol] ?? 0;
      const next = this.edge(s, symbol);
      if (next !== -1) return next;
      s = this.fail[s] ?? 0;
    }
  }

  /** Target of a non-root state's transition, or -1. */
  private edge(state: number, symbol: number): number {
    const states = this.edgeState;
    let at = hashEdge(state, symbol) & this.edgeMask;
    for (;;) {
      const held = states[at] ?? -1;
      if (held === -1) return -1;
      if (held === state && this.edgeSymbol[at] === symbol) return this.edgeTarget[at] ?? -1;
      at = (at + 1) & this.edgeMask;
    }
  }

  /** Reports every occurrence of every pattern in `text`, overlapping ones included. */
  scan(text: string, onMatch: OnMatch): void {
    this.build();
    const symbols = this.symbols;
    const nodePattern = this.nodePattern;
    const output = this.output;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const symbol = symbols[text.charCodeAt(i)] ?? 0;
      if (symbol === 0) {
        // No pattern contains this character, so no match can run across it.
        state = 0;
        continue;
      }
      state = this.step(state, symbol);
      let hit = (nodePattern[state] ?? -1) >= 0 ? state : (output[state] ?? 0);
      while (hit !== 0) {
        onMatch(nodePattern[hit] ?? -1, i + 1);
        hit = output[hit] ?? 0;
      }
    }
  }
}
