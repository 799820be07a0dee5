/** Helpers shared by the lore tests (not exported from the package). */
import { activate, type ActivateInput, type ActivationResult } from './activate.ts';
import { makeLoreEntry } from './defaults.ts';
import type { LoreBook, LoreEntry } from './types.ts';

/** One token per whitespace-separated word: makes budgets easy to reason about in tests. */
export const countWords = (text: string): number => text.split(/\s+/).filter((word) => word.length > 0).length;

export type EntryInit = Partial<LoreEntry> & Pick<LoreEntry, 'uid'>;

export function book(name: string, entries: readonly EntryInit[], extra: Partial<LoreBook> = {}): LoreBook {
  return { name, entries: entries.map((entry) => makeLoreEntry({ content: `content ${String(entry.uid)}`, ...entry })), ...extra };
}

/** Random source that returns the given values in turn, then repeats the last one. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] ?? 0;
}

export type RunInput = Partial<ActivateInput> & Pick<ActivateInput, 'messages'>;

/** Activates one book (or the given set) with a roomy budget and word-count tokens. */
export function run(entries: readonly EntryInit[], input: RunInput, extra: Partial<LoreBook> = {}): ActivationResult {
  return activate({ books: { character: [book('test', entries, extra)] }, contextSize: 100_000, countTokens: countWords, ...input });
}

/** The uids that were inserted, sorted, for set-like comparisons. */
export function uids(result: ActivationResult): (number | string)[] {
  return result.entries.map((entry) => entry.uid).sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
}
