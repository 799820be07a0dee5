/**
 * Voice settings of this device (options page → Voice): the OpenAI-compatible speech endpoint (its base
 * URL, default model and, when it needs one, an API key) and an ElevenLabs API key. A character's
 * voice (which provider, which voice, how fast) is in its card; where speech comes from and the keys
 * are the person's own, so they stay here.
 *
 * Kept in chrome.storage.local of this device only: never storage.sync, a Yjs doc, an export or a
 * pack. Keys are sealed with this device's non-extractable key (background/voice/voice-device-store.ts),
 * so storage.local, which content scripts can read, holds only ciphertext. Written and read only by the
 * background; no runtime answer carries a key (pages see `hasKey`).
 */
import { storage } from '#imports';

export interface SealedKey { iv: string; sealed: string }

/** Format 1 of the stored value. */
export interface StoredVoiceDevice {
  version: 1;
  /** The OpenAI-compatible speech endpoint; null: none set. */
  openai: { url: string; model: string; key: SealedKey | null } | null;
  /** The ElevenLabs API key, sealed; null: none set. */
  elevenLabsKey: SealedKey | null;
}

export const DEFAULT_VOICE_DEVICE: StoredVoiceDevice = { version: 1, openai: null, elevenLabsKey: null };

export const voiceDeviceItem = storage.defineItem<StoredVoiceDevice | null>('local:voice.device', { fallback: null, version: 1 });

function sealedKey(value: unknown): SealedKey | null {
  const v = value as Partial<SealedKey> | null;
  return typeof v === 'object' && v !== null && typeof v.iv === 'string' && typeof v.sealed === 'string' ? { iv: v.iv, sealed: v.sealed } : null;
}

/** The stored value as format 1: every field of its kind, or the defaults for nothing, another format or anything unreadable. */
export function readableVoiceDevice(value: unknown): StoredVoiceDevice {
  const v = value as Partial<StoredVoiceDevice> | null;
  if (typeof v !== 'object' || v === null || v.version !== 1) return DEFAULT_VOICE_DEVICE;
  const o = v.openai as Partial<NonNullable<StoredVoiceDevice['openai']>> | null | undefined;
  const openai = typeof o === 'object' && o !== null && typeof o.url === 'string' && typeof o.model === 'string'
    ? { url: o.url, model: o.model, key: sealedKey(o.key) } : null;
  return { version: 1, openai, elevenLabsKey: sealedKey(v.elevenLabsKey) };
}
