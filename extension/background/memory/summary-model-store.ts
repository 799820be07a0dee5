/**
 * The summary model the person saved (messaging/storage/summary-model.ts), with its API key sealed by
 * this device's non-extractable summary-model key: storage.local holds ciphertext only.
 */
import { DeviceKeys, sealText, unsealText } from '../sync/device-key.ts';
import { readableSummaryModel, summaryModelItem } from '../../messaging/storage/summary-model.ts';
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

  /** The saved model, or null (none, a value this build cannot read). A key this device can no longer open is dropped (null). */
  async load(): Promise<SummaryModel | null> {
    const stored = readableSummaryModel(await summaryModelItem.getValue());
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

  /** Saves `model` (its key sealed), or forgets it (null). */
  async save(model: SummaryModel | null): Promise<void> {
    if (!model) return summaryModelItem.setValue(null);
    const key = model.apiKey ? await sealText(await this.keys.key('summary-model'), BINDING, model.apiKey) : null;
    await summaryModelItem.setValue({ version: 2, url: model.url, model: model.model, key });
  }

  /** The endpoint a summary job asks first, or null to summarise locally. */
  async endpoint(): Promise<SummaryEndpoint | null> {
    const saved = await this.load();
    if (!saved) return null;
    return { url: saved.url, model: saved.model, ...(saved.apiKey ? { apiKey: saved.apiKey } : {}) };
  }
}
