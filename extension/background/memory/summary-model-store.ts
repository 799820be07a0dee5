/**
 * Memory's settings the person saved (messaging/storage/summary-model.ts): the summary model, with its
 * API key sealed by this device's non-extractable summary-model key (storage.local holds ciphertext
 * only), and whether chats' own models write summaries when no model is set.
 */
import { DeviceKeys, sealText, unsealText } from '../keys/device-key.ts';
import { readableMemorySettings, summaryModelItem, type StoredMemorySettings } from '../../messaging/storage/summary-model.ts';
import type { SummaryEndpoint } from '../../messaging/protocols/offscreen-protocol.ts';

/** Authenticated with the key, so its ciphertext cannot pass for another sealed secret. */
const BINDING = 'troupe/summary-model-key/1';

/** The saved model with its key opened. */
export interface SummaryModel {
  url: string;
  model: string;
  apiKey: string | null;
}

export class SummaryModelStore {
  constructor(private readonly keys: DeviceKeys = new DeviceKeys()) {}

  private async settings(): Promise<StoredMemorySettings> {
    return readableMemorySettings(await summaryModelItem.getValue());
  }

  /** The saved model, or null (none, a value this build cannot read). A key this device can no longer open is dropped (null). */
  async load(): Promise<SummaryModel | null> {
    const stored = (await this.settings()).summaryModel;
    if (!stored) return null;
    let apiKey: string | null = null;
    if (stored.key) {
      try {
        apiKey = await unsealText(await this.keys.key('summary-model'), BINDING, stored.key);
      } catch {
        // The device key is gone (site data cleared): the person enters the key again; summaries go on locally meanwhile.
        apiKey = null;
      }
    }
    return { url: stored.url, model: stored.model, apiKey };
  }

  /** Saves `model` (its key sealed), or forgets it (null); the other settings stay. */
  async save(model: SummaryModel | null): Promise<void> {
    const key = model?.apiKey ? await sealText(await this.keys.key('summary-model'), BINDING, model.apiKey) : null;
    const settings = await this.settings();
    await summaryModelItem.setValue({ ...settings, summaryModel: model ? { url: model.url, model: model.model, key } : null });
  }

  /** Whether, with no model saved, a chat's own model writes its summaries. */
  async useChatModel(): Promise<boolean> {
    return (await this.settings()).useChatModel;
  }

  async setUseChatModel(on: boolean): Promise<void> {
    const settings = await this.settings();
    await summaryModelItem.setValue({ ...settings, useChatModel: on });
  }

  /** The endpoint a summary job asks first, or null when no model is saved. */
  async endpoint(): Promise<SummaryEndpoint | null> {
    const saved = await this.load();
    if (!saved) return null;
    return { url: saved.url, model: saved.model, ...(saved.apiKey ? { apiKey: saved.apiKey } : {}) };
  }
}
