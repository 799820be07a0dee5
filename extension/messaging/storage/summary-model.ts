/**
 * The model that writes chats' summaries, when the person set one in the options page (Memory): an
 * OpenAI-compatible endpoint, its model and, when it needs one, an API key. Null: summaries are made by
 * the local extractive summariser.
 *
 * Kept in chrome.storage.local of this device only: never storage.sync, never in a Yjs doc, an export
 * or a pack. The key is sealed with this device's non-extractable key (background/memory/
 * summary-model-store.ts), so storage.local, which content scripts can read, holds only ciphertext.
 * Written and read only by the background; no runtime answer carries the key (the page sees `hasKey`).
 */
import { storage } from '#imports';

/** Format 2 of the stored value (format 1, with the key in plain text, never shipped). */
export interface StoredSummaryModel {
  version: 2;
  /** The chat-completions URL or its base, as the offscreen protocol takes it (http(s), no credentials). */
  url: string;
  model: string;
  /** The API key sealed with the device's summary-model key; null when the endpoint needs none. */
  key: { iv: string; sealed: string } | null;
}

export const summaryModelItem = storage.defineItem<StoredSummaryModel | null>('local:memory.summaryModel', { fallback: null, version: 1 });

/** The stored value when it is one this build reads (format 2, every field of its kind), else null. */
export function readableSummaryModel(value: unknown): StoredSummaryModel | null {
  const v = value as Partial<StoredSummaryModel> | null;
  if (typeof v !== 'object' || v === null || v.version !== 2) return null;
  if (typeof v.url !== 'string' || typeof v.model !== 'string') return null;
  const key = v.key as Partial<NonNullable<StoredSummaryModel['key']>> | null | undefined;
  if (key !== null && (typeof key !== 'object' || typeof key.iv !== 'string' || typeof key.sealed !== 'string')) return null;
  return { version: 2, url: v.url, model: v.model, key: key === null ? null : { iv: key.iv!, sealed: key.sealed! } };
}
