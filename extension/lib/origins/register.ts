import { browser } from '#imports';
import { CONTENT_SCRIPT_FILES, extraMatchPatterns } from './origins.ts';

const SCRIPT_IDS = { isolated: 'troupe-nextchat-isolated', main: 'troupe-nextchat-main' } as const;

/**
 * Registers Troupe's two content scripts for every origin the user granted beyond the defaults, and
 * unregisters them when none is left. Idempotent: run at start-up and whenever permissions change.
 * Returns the enabled extra patterns.
 */
export async function syncRegisteredOrigins(): Promise<string[]> {
  const granted = (await browser.permissions.getAll()).origins ?? [];
  const matches = extraMatchPatterns(granted);
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
