/**
 * The memory bench's reference recall engine: MiniSearch (a well-kept full-text library, BM25+ scoring)
 * behind the same interface as Troupe's MessageRecall, so the same builds can be made with either and
 * the facts each brings back compared in one run. Bench only: the extension ships its own BM25.
 */
import MiniSearch from 'minisearch';

export class MiniSearchRecall {
  private readonly index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'], storeFields: [] });
  private readonly texts = new Map<string, string>();

  /** Brings the index in step with the messages: new ones added, edited ones replaced, gone ones removed. */
  sync(messages: readonly { id?: string; text: string }[]): void {
    const seen = new Set<string>();
    for (const { id, text } of messages) {
      if (!id || seen.has(id)) continue;
      seen.add(id);
      const known = this.texts.get(id);
      if (known === text) continue;
      if (known !== undefined) this.index.discard(id);
      this.index.add({ id, text });
      this.texts.set(id, text);
    }
    for (const id of [...this.texts.keys()]) {
      if (seen.has(id)) continue;
      this.index.discard(id);
      this.texts.delete(id);
    }
  }

  /** MiniSearch's score of each candidate matching the query (any term, as BM25 recall does). */
  scores(query: string, candidates: ReadonlySet<string>): Map<string, number> {
    const out = new Map<string, number>();
    for (const hit of this.index.search(query, { combineWith: 'OR' })) {
      const id = String(hit.id);
      if (candidates.has(id)) out.set(id, hit.score);
    }
    return out;
  }
}
