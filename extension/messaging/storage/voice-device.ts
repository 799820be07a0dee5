/**
 * Voice settings of this device (options page → Voice): the OpenAI-compatible speech endpoint (its base
 * URL, default model and, when it needs one, an API key), an ElevenLabs API key, the OpenAI-compatible
 * transcription endpoint that voice in posts clips to, and whether a transcript is sent at once. A character's
 * voice (which provider, which voice, how fast) is in its card; where speech comes from and the keys
 * are the person's own, so they stay here.
 *
 * Kept in chrome.storage.local of this device only: never storage.sync, a Yjs doc, an export or a
 * pack. Keys are sealed with this device's non-extractable key (background/voice/voice-device-store.ts),
 * so storage.local, which content scripts can read, holds only ciphertext. Written and read only by the
 * background; no runtime answer carries a key (pages see `hasKey`).
 */
import { storage } from '#imports';
import { DEFAULT_END_OF_TURN_MS, MAX_END_OF_TURN_MS, MIN_END_OF_TURN_MS } from '@troupe/shared/voice';

export interface SealedKey { iv: string; sealed: string }

/** An OpenAI-compatible endpoint as stored: base URL, model, the key sealed (null: none). */
export interface StoredEndpoint { url: string; model: string; key: SealedKey | null }

/** Format 1 of the stored value (before voice in). Still read: format 2 migrates from it. */
export interface StoredVoiceDeviceV1 {
  version: 1;
  openai: StoredEndpoint | null;
  elevenLabsKey: SealedKey | null;
}

/** Format 2 of the stored value (before hands-free). Still read: format 3 migrates from it. */
export type StoredVoiceDeviceV2 = Omit<StoredVoiceDevice, 'version' | 'endOfTurnMs'> & { version: 2 };

/** Format 3 of the stored value. */
export interface StoredVoiceDevice {
  version: 3;
  /** The OpenAI-compatible speech endpoint; null: none set. */
  openai: StoredEndpoint | null;
  /** The ElevenLabs API key, sealed; null: none set. */
  elevenLabsKey: SealedKey | null;
  /** The OpenAI-compatible transcription endpoint (voice in); null: none set. */
  transcription: StoredEndpoint | null;
  /** Whether a transcript is sent at once (true) or left in NextChat's input for review. */
  autoSend: boolean;
  /** Hands-free: the silence that ends the person's turn, MIN_END_OF_TURN_MS to MAX_END_OF_TURN_MS. */
  endOfTurnMs: number;
}

export const DEFAULT_VOICE_DEVICE: StoredVoiceDevice = { version: 3, openai: null, elevenLabsKey: null, transcription: null, autoSend: true, endOfTurnMs: DEFAULT_END_OF_TURN_MS };

/** Format 1 → 2: voice in arrives with no transcription endpoint and auto-send on (the default). */
export function migrateVoiceDeviceV1(v1: StoredVoiceDeviceV1): StoredVoiceDeviceV2 {
  return { ...v1, version: 2, transcription: null, autoSend: true };
}

/** Format 2 → 3: hands-free arrives with the default end-of-turn silence. */
export function migrateVoiceDeviceV2(v2: StoredVoiceDeviceV2): StoredVoiceDevice {
  return { ...v2, version: 3, endOfTurnMs: DEFAULT_END_OF_TURN_MS };
}

export const voiceDeviceItem = storage.defineItem<StoredVoiceDevice | null>('local:voice.device', {
  fallback: null,
  version: 3,
  migrations: {
    2: (v1: StoredVoiceDeviceV1 | null) => (v1 ? migrateVoiceDeviceV1(readableVoiceDeviceV1(v1)) : v1),
    3: (v2: StoredVoiceDeviceV2 | null) => (v2 ? readableVoiceDevice(v2) : v2),
  },
});

function sealedKey(value: unknown): SealedKey | null {
  const v = value as Partial<SealedKey> | null;
  return typeof v === 'object' && v !== null && typeof v.iv === 'string' && typeof v.sealed === 'string' ? { iv: v.iv, sealed: v.sealed } : null;
}

function storedEndpoint(value: unknown): StoredEndpoint | null {
  const o = value as Partial<StoredEndpoint> | null | undefined;
  return typeof o === 'object' && o !== null && typeof o.url === 'string' && typeof o.model === 'string'
    ? { url: o.url, model: o.model, key: sealedKey(o.key) } : null;
}

function readableVoiceDeviceV1(value: StoredVoiceDeviceV1): StoredVoiceDeviceV1 {
  return { version: 1, openai: storedEndpoint(value.openai), elevenLabsKey: sealedKey(value.elevenLabsKey) };
}

/**
 * The stored value as format 3: every field of its kind; formats 1 and 2 migrated; the defaults for
 * nothing, another format or anything unreadable.
 */
export function readableVoiceDevice(value: unknown): StoredVoiceDevice {
  const v = value as { version?: unknown } | null;
  if (typeof v !== 'object' || v === null) return DEFAULT_VOICE_DEVICE;
  if (v.version === 1) return migrateVoiceDeviceV2(migrateVoiceDeviceV1(readableVoiceDeviceV1(v as StoredVoiceDeviceV1)));
  if (v.version !== 2 && v.version !== 3) return DEFAULT_VOICE_DEVICE;
  const o = v as Partial<StoredVoiceDevice>;
  const silence = o.endOfTurnMs;
  return {
    version: 3,
    openai: storedEndpoint(o.openai),
    elevenLabsKey: sealedKey(o.elevenLabsKey),
    transcription: storedEndpoint(o.transcription),
    autoSend: typeof o.autoSend === 'boolean' ? o.autoSend : true,
    endOfTurnMs: typeof silence === 'number' && Number.isInteger(silence) && silence >= MIN_END_OF_TURN_MS && silence <= MAX_END_OF_TURN_MS ? silence : DEFAULT_END_OF_TURN_MS,
  };
}
