/**
 * Memory's settings of this device (options page → Memory): the model that writes chats' summaries,
 * when the person set one (an OpenAI-compatible endpoint, its model and, when it needs one, an API key),
 * and whether, with none set, each chat's own model writes them. With neither, summaries are made by
 * the local extractive summariser.
 *
 * Kept in chrome.storage.local of this device only: never storage.sync, never in a Yjs doc, an export
 * or a pack. The key is sealed with this device's non-extractable key (background/memory/
 * summary-model-store.ts), so storage.local, which content scripts can read, holds only ciphertext.
 * Written and read only by the background; no runtime answer carries the key (the page sees `hasKey`).
 * A chat's own key is never stored here (background/memory/chat-model-session.ts keeps it in
 * storage.session).
 */
import { storage } from '#imports';

/** A saved model: its address, name and sealed key. */
export interface StoredSummaryModelEndpoint {
  /** The chat-completions URL or its base, as the offscreen protocol takes it (http(s), no credentials). */
  url: string;
  model: string;
  /** The API key sealed with the device's summary-model key; null when the endpoint needs none. */
  key: { iv: string; sealed: string } | null;
}

/** Format 2 of the stored value: the model alone (null: none). Read by the migration to format 3. */
export interface StoredSummaryModelV2 extends StoredSummaryModelEndpoint {
  version: 2;
}

/** Format 3 of the stored value (format 1, with the key in plain text, never shipped). */
export interface StoredMemorySettings {
  version: 3;
  /** The model set in the options page; null: none. */
  summaryModel: StoredSummaryModelEndpoint | null;
  /** With no model set, a chat's own model (its last request's endpoint, model and key) writes its summaries. */
  useChatModel: boolean;
}

/** A chat's own model writes its summaries unless the person turns it off. */
export const USE_CHAT_MODEL_DEFAULT = true;

/** The settings of a device where nothing was saved. */
export const DEFAULT_MEMORY_SETTINGS: StoredMemorySettings = { version: 3, summaryModel: null, useChatModel: USE_CHAT_MODEL_DEFAULT };

function readableEndpoint(value: unknown): StoredSummaryModelEndpoint | null {
  const v = value as Partial<StoredSummaryModelEndpoint> | null;
  if (typeof v !== 'object' || v === null || typeof v.url !== 'string' || typeof v.model !== 'string') return null;
  const key = v.key as Partial<NonNullable<StoredSummaryModelEndpoint['key']>> | null | undefined;
  if (key !== null && (typeof key !== 'object' || typeof key.iv !== 'string' || typeof key.sealed !== 'string')) return null;
  return { url: v.url, model: v.model, key: key === null ? null : { iv: key.iv!, sealed: key.sealed! } };
}

/**
 * Format 2 (the model alone, or null) as format 3: the saved model kept, the chat's own model on (the
 * default; with a model saved it is not asked anyway). Anything unreadable becomes the defaults.
 */
export function migrateSummaryModelV2(value: unknown): StoredMemorySettings {
  const v = value as { version?: unknown } | null;
  const summaryModel = typeof v === 'object' && v !== null && v.version === 2 ? readableEndpoint(v) : null;
  return { ...DEFAULT_MEMORY_SETTINGS, summaryModel };
}

/**
 * WXT's item version 2 holds format 3; its version 1 held format 2 (or null), migrated when the item
 * is first read. The storage key keeps its first name so the migration finds the old value.
 */
export const summaryModelItem = storage.defineItem<StoredMemorySettings | null>('local:memory.summaryModel', {
  fallback: null,
  version: 2,
  migrations: { 2: migrateSummaryModelV2 },
});

/**
 * The stored value as format 3: format 3 as it is (every field of its kind), format 2 migrated (WXT
 * leaves the old value in place when a migration fails), and the defaults for nothing or anything else.
 */
export function readableMemorySettings(value: unknown): StoredMemorySettings {
  const v = value as Partial<StoredMemorySettings> | null;
  if (typeof v !== 'object' || v === null) return DEFAULT_MEMORY_SETTINGS;
  if ((v as { version?: unknown }).version === 2) return migrateSummaryModelV2(v);
  if (v.version !== 3) return DEFAULT_MEMORY_SETTINGS;
  return {
    version: 3,
    summaryModel: v.summaryModel === null || v.summaryModel === undefined ? null : readableEndpoint(v.summaryModel),
    useChatModel: typeof v.useChatModel === 'boolean' ? v.useChatModel : USE_CHAT_MODEL_DEFAULT,
  };
}
