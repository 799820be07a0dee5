/**
 * The device's voice settings (messaging/storage/voice-device.ts) with their keys sealed by this
 * device's non-extractable 'voice' key: storage.local holds ciphertext only.
 */
import type { SpeechEndpoint } from '@troupe/shared/voice';
import { DeviceKeys, sealText, unsealText, type SealedText } from '../keys/device-key.ts';
import { readableVoiceDevice, voiceDeviceItem, type StoredVoiceDevice } from '../../messaging/storage/voice-device.ts';

/** Authenticated with each key, so one sealed key cannot pass for the other. */
const OPENAI_BINDING = 'troupe/voice-openai-key/1';
const ELEVENLABS_BINDING = 'troupe/voice-elevenlabs-key/1';

/** The device's voice settings with their keys opened (what the offscreen player needs). */
export interface VoiceDevice {
  openai: SpeechEndpoint | null;
  elevenLabsKey: string | null;
}

/** A change: absent fields stay; `openai.apiKey` absent keeps the saved key, null removes it. */
export interface VoiceDeviceChange {
  openai?: { url: string; model: string; apiKey?: string | null } | null;
  elevenLabsKey?: string | null;
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
    const openaiKey = stored.openai ? await this.open(OPENAI_BINDING, stored.openai.key) : null;
    return {
      openai: stored.openai ? { url: stored.openai.url, model: stored.openai.model, ...(openaiKey ? { apiKey: openaiKey } : {}) } : null,
      elevenLabsKey: await this.open(ELEVENLABS_BINDING, stored.elevenLabsKey),
    };
  }

  /**
   * Applies `change`. A key kept for an endpoint moved to another origin is dropped, so a key never goes
   * to a server it was not given for.
   */
  async save(change: VoiceDeviceChange): Promise<void> {
    const stored = await this.stored();
    const next: StoredVoiceDevice = { ...stored };
    if (change.openai === null) next.openai = null;
    else if (change.openai !== undefined) {
      const { url, model, apiKey } = change.openai;
      let key = stored.openai && sameOrigin(stored.openai.url, url) ? stored.openai.key : null;
      if (apiKey === null) key = null;
      else if (apiKey !== undefined) key = await sealText(await this.keys.key('voice'), OPENAI_BINDING, apiKey);
      next.openai = { url, model, key };
    }
    if (change.elevenLabsKey === null) next.elevenLabsKey = null;
    else if (change.elevenLabsKey !== undefined) next.elevenLabsKey = await sealText(await this.keys.key('voice'), ELEVENLABS_BINDING, change.elevenLabsKey);
    await voiceDeviceItem.setValue(next);
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
