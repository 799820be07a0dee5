import { browser } from '#imports';
import { CONTENT_SCRIPT_FILES, extraMatchPatterns } from '../../messaging/origins.ts';
import { nextChatOriginsSetting } from '../../messaging/storage/enabled-origins.ts';

const SCRIPT_IDS = { isolated: 'troupe-nextchat-isolated', main: 'troupe-nextchat-main' } as const;

/** The extra NextChat sites that are enabled and still granted. */
export async function enabledExtraOrigins(): Promise<string[]> {
  const granted = (await browser.permissions.getAll()).origins ?? [];
  return extraMatchPatterns(await nextChatOriginsSetting.getValue(), granted);
}

/**
 * Registers Troupe's two content scripts for every extra NextChat site the user enabled (and still
 * grants), and unregisters them when none is left. Idempotent: run at start-up and whenever
 * permissions or the list change. Returns the registered patterns.
 */
export async function syncRegisteredOrigins(): Promise<string[]> {
  const matches = await enabledExtraOrigins();
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: Object.values(SCRIPT_IDS) });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (matches.length > 0) {
    await browser.scripting.registerContentScripts([
      // Same order and timing as the manifest entries: isolated first, both at document_start.
      { id: SCRIPT_IDS.isolated, matches, js: [CONTENT_SCRIPT_FILES.isolated], runAt: 'document_start', persistAcrossSessions: true },
      { id: SCRIPT_IDS.main, matches, js: [CONTENT_SCRIPT_FILES.main], runAt: 'document_start', world: 'MAIN', persistAcrossSessions: true },
    ]);
  }
  return matches;
}

/** Adds a NextChat site (its host permission must already be granted) and registers the scripts. */
export async function enableOrigin(pattern: string): Promise<string[]> {
  const list = await nextChatOriginsSetting.getValue();
  if (!list.includes(pattern)) await nextChatOriginsSetting.setValue([...list, pattern]);
  return syncRegisteredOrigins();
}

/** Removes a NextChat site from the overlay (its host permission is the caller's to revoke). */
export async function disableOrigin(pattern: string): Promise<string[]> {
  await nextChatOriginsSetting.setValue((await nextChatOriginsSetting.getValue()).filter((p) => p !== pattern));
  return syncRegisteredOrigins();
}
