/**
 * On the sync relay's pack link page: hands the page's link (with its `#key`, which the relay never
 * saw) to Troupe's background, which opens the import page. Reads nothing else of the page, and
 * never the pack.
 */
import { OPENED_BY_TROUPE_ATTRIBUTE, PACK_ID_CHARS } from '@troupe/shared/packs';

const LINK_PATH = new RegExp(`/p/[A-Za-z0-9_-]{${PACK_ID_CHARS}}$`);

/** The pack link this page stands for, or null when the page is not one (no id, or no key). */
export function packLinkOfPage(location: Pick<Location, 'origin' | 'pathname' | 'hash'>): string | null {
  if (!LINK_PATH.test(location.pathname) || location.hash.length < 2) return null;
  return `${location.origin}${location.pathname}${location.hash}`;
}

/**
 * Sends the page's link to the background once; a page that is not a link page sends nothing. Runs at
 * document_start: the page is told first (OPENED_BY_TROUPE_ATTRIBUTE) so it does not open the pack too,
 * and told again (the mark removed) if Troupe could not.
 */
export async function forwardPackLink(location: Pick<Location, 'origin' | 'pathname' | 'hash'>, root: Pick<Element, 'setAttribute' | 'removeAttribute'>, send: (origin: string, link: string) => Promise<unknown>): Promise<boolean> {
  const link = packLinkOfPage(location);
  if (link === null) return false;
  root.setAttribute(OPENED_BY_TROUPE_ATTRIBUTE, '');
  try {
    await send(location.origin, link);
  } catch (error) {
    root.removeAttribute(OPENED_BY_TROUPE_ATTRIBUTE);
    throw error;
  }
  return true;
}
