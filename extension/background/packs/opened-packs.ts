/**
 * Packs downloaded and opened for a preview, kept a few minutes so Add imports exactly what was
 * shown without a second download. Small (MAX_CACHED_OPENED_PACKS) and in memory only: a stopped
 * service worker forgets them, and the pack is fetched again.
 */
import type { OpenedPack } from '@troupe/shared/packs';
import { MAX_CACHED_OPENED_PACKS, OPENED_PACK_TTL_MS } from '../../messaging/limits/packs.ts';
import type { PackVersionInfo } from './relay-client.ts';

export interface OpenedLink {
  opened: OpenedPack;
  info: PackVersionInfo;
}

export class OpenedPacks {
  private readonly entries = new Map<string, { value: OpenedLink; at: number }>();

  constructor(private readonly now: () => number) {}

  get(link: string): OpenedLink | null {
    const entry = this.entries.get(link);
    if (!entry) return null;
    if (this.now() - entry.at > OPENED_PACK_TTL_MS) {
      this.entries.delete(link);
      return null;
    }
    return entry.value;
  }

  put(link: string, value: OpenedLink): void {
    this.entries.delete(link);
    this.entries.set(link, { value, at: this.now() });
    while (this.entries.size > MAX_CACHED_OPENED_PACKS) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(link: string): void {
    this.entries.delete(link);
  }
}
