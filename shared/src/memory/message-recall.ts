/**
 * One chat's recall index, kept in step with the chat as it is read again and again (NextChat's store
 * after every change): only new and edited messages are indexed, gone ones removed. What the prompt
 * assembler's `memory.recall` asks for: how relevant each left-out message is to the new turn.
 */
import { RecallIndex } from './recall.ts';

export class MessageRecall {
  private readonly index = new RecallIndex();
  /** The text indexed for each message id. */
  private readonly texts = new Map<string, string>();

  /** Brings the index in step with the chat's messages (oldest first); messages without an id are left out. */
  sync(messages: readonly { id?: string; text: string }[]): void {
    this.syncSome(messages, Infinity);
  }

  /**
   * Like `sync`, indexing at most `limit` new or changed messages, so a long chat can be indexed a slice
   * at a time while the page is idle (one pass over 2,000 messages is a ~90 ms task). Returns true once
   * the index is in step; gone messages are removed then.
   */
  syncSome(messages: readonly { id?: string; text: string }[], limit: number): boolean {
    const seen = new Set<string>();
    let indexed = 0;
    for (let order = 0; order < messages.length; order++) {
      const { id, text } = messages[order]!;
      if (!id || seen.has(id)) continue;
      seen.add(id);
      if (this.texts.get(id) === text && this.index.get(id)?.order === order) continue;
      if (indexed >= limit) return false;
      // Tokens are the assembler's business (it counts what it picks); the index only scores.
      this.index.upsert({ id, kind: 'message', text, tokens: 0, order });
      this.texts.set(id, text);
      indexed += 1;
    }
    for (const id of [...this.texts.keys()]) {
      if (seen.has(id)) continue;
      this.index.remove(id);
      this.texts.delete(id);
    }
    return true;
  }

  /** Relevance of each of `candidates` to `query` (those that match at all). */
  scores(query: string, candidates: ReadonlySet<string>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, score] of this.index.scores(query)) if (candidates.has(id)) out.set(id, score);
    return out;
  }

  /**
   * What the assembler's `recall` asks for: relevance to the query, the index first brought in step with
   * `messages` (only when a build asks, so a build that needs no recall indexes nothing).
   */
  scorer(messages: readonly { id?: string; text: string }[]): (query: string, candidates: ReadonlySet<string>) => Map<string, number> {
    return (query, candidates) => {
      this.sync(messages);
      return this.scores(query, candidates);
    };
  }

  get size(): number {
    return this.texts.size;
  }
}
