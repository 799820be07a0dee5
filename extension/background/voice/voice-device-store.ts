/**
 * The device's voice settings (messaging/storage/voice-device.ts) with their keys sealed by this
 * device's non-extractable 'voice' key: storage.local holds ciphertext only.
 */
import type { SpeechEndpoint } from '@troupe/shared/voice';
import { DeviceKeys, sealText, unsealText, type SealedText } from '../keys/device-key.ts';
import { readableVoiceDevice, voiceDeviceItem, type StoredEndpoint, type StoredVoiceDevice } from '../../messaging/storage/voice-device.ts';

/** Authenticated with each key, so one sealed key cannot pass for the other. */
const OPENAI_BINDING = 'troupe/voice-openai-key/1';
const ELEVENLABS_BINDING = 'troupe/voice-elevenlabs-key/1';
const TRANSCRIPTION_BINDING = 'troupe/voice-transcription-key/1';

/** The device's voice settings with their keys opened (what the offscreen player needs). */
export interface VoiceDevice {
  openai: SpeechEndpoint | null;
  elevenLabsKey: string | null;
  /** Where voice in posts clips (same shape as a speech endpoint: base URL, model, optional key). */
  transcription: SpeechEndpoint | null;
  autoSend: boolean;
  endOfTurnMs: number;
}

/** A change: absent fields stay; `openai.apiKey` absent keeps the saved key, null removes it. */
export interface VoiceDeviceChange {
  openai?: { url: string; model: string; apiKey?: string | null } | null;
  elevenLabsKey?: string | null;
  transcription?: { url: string; model: string; apiKey?: string | null } | null;
  autoSend?: boolean;
  endOfTurnMs?: number;
}

export class VoiceDeviceStore {
  constructor(private readonly keys: DeviceKeys = new DeviceKeys()) {}

  async stored(): Promise<StoredVoiceDevice> {
    return readableVoiceDevice(await voiceDeviceItem.getValue());
  }

  private async open(binding: string, sealed: SealedText | null): Promise<string | null> {
    if (!sealed) return null;
    try {
      return await unsealText(await this.keys.key('voice'), binding, sealed);
    } catch {
      // The device key is gone (site data cleared): the person enters the key again.
      return null;
    }
  }

  /** The settings with keys opened; a key this device can no longer open reads as none. */
  async load(): Promise<VoiceDevice> {
    const stored = await this.stored();
    return {
      openai: await this.endpoint(OPENAI_BINDING, stored.openai),
      elevenLabsKey: await this.open(ELEVENLABS_BINDING, stored.elevenLabsKey),
      transcription: await this.endpoint(TRANSCRIPTION_BINDING, stored.transcription),
      autoSend: stored.autoSend,
      endOfTurnMs: stored.endOfTurnMs,
    };
  }

  private async endpoint(binding: string, stored: StoredEndpoint | null): Promise<SpeechEndpoint | null> {
    if (!stored) return null;
    const key = await this.open(binding, stored.key);
    return { url: stored.url, model: stored.model, ...(key ? { apiKey: key } : {}) };
  }

  /**
   * Applies `change`. A key kept for an endpoint moved to another origin is dropped, so a key never goes
   * to a server it was not given for.
   */
  async save(change: VoiceDeviceChange): Promise<void> {
    const stored = await this.stored();
    const next: StoredVoiceDevice = { ...stored };
    if (change.openai !== undefined) next.openai = await this.changed(OPENAI_BINDING, stored.openai, change.openai);
    if (change.transcription !== undefined) next.transcription = await this.changed(TRANSCRIPTION_BINDING, stored.transcription, change.transcription);
    if (change.autoSend !== undefined) next.autoSend = change.autoSend;
    if (change.endOfTurnMs !== undefined) next.endOfTurnMs = change.endOfTurnMs;
    if (change.elevenLabsKey === null) next.elevenLabsKey = null;
    else if (change.elevenLabsKey !== undefined) next.elevenLabsKey = await sealText(await this.keys.key('voice'), ELEVENLABS_BINDING, change.elevenLabsKey);
    await voiceDeviceItem.setValue(next);
  }

  private async changed(binding: string, stored: StoredEndpoint | null, change: { url: string; model: string; apiKey?: string | null } | null): Promise<StoredEndpoint | null> {
    if (change === null) return null;
    const { url, model, apiKey } = change;
    let key = stored && sameOrigin(stored.url, url) ? stored.key : null;
    if (apiKey === null) key = null;
    else if (apiKey !== undefined) key = await sealText(await this.keys.key('voice'), binding, apiKey);
    return { url, model, key };
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
