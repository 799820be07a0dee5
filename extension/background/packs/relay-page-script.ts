/**
 * The content script of the relay's link page (`<relay>/p/<id>`): registered only for the sync
 * relay, and only while Troupe may already read that site (its host permission), so Troupe never
 * asks for a permission to offer this. It hands the page's link to the background, which opens the
 * import page; the pack itself is never read on the relay's page.
 */
import { browser } from '#imports';
import { relayHttpUrl } from '@troupe/shared/packs';
import { relayUrlItem } from '../../messaging/storage/sync.ts';
import { PACK_LINK_SCRIPT_FILE } from '../../messaging/origins.ts';

const SCRIPT_ID = 'troupe-pack-link';

/** The match pattern of the sync relay's link pages (match patterns ignore ports), or null. */
export function relayPagePattern(relayUrl: string): { pattern: string; site: string } | null {
  try {
    const url = new URL(relayHttpUrl(relayUrl));
    const path = url.pathname.replace(/\/+$/, '');
    return { pattern: `${url.protocol}//${url.hostname}${path}/p/*`, site: `${url.protocol}//${url.hostname}/*` };
  } catch {
    return null;
  }
}

/** Registers the script for the current sync relay when its site is granted; removes it otherwise. Idempotent. */
export async function syncRelayPageScript(): Promise<string | null> {
  const target = relayPagePattern(await relayUrlItem.getValue());
  const granted = target !== null && (await browser.permissions.contains({ origins: [target.site] }));
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (!granted || target === null) return null;
  await browser.scripting.registerContentScripts([{ id: SCRIPT_ID, matches: [target.pattern], js: [PACK_LINK_SCRIPT_FILE], runAt: 'document_start', persistAcrossSessions: true }]);
  return target.pattern;
}
