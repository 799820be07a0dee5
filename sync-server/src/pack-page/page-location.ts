/**
 * What the page's own address says: the pack's id (the last path segment) and its key (the
 * fragment). Read from `location.pathname` and `location.hash` rather than the whole link, so a query
 * that a chat app appended (`?utm_source=...`) or a path prefix in front of `/p/` does not matter.
 */
import { isValidPackId, packKeyBytes, PACK_PAGE_PATH, PACKS_PATH, type PackKey } from '@troupe/shared/packs';
import type { PageProblem } from './problems.ts';

export type PageLocation = { ok: true; id: string; key: PackKey; packPath: string } | { ok: false; problem: PageProblem };

/**
 * The id and key of the pack this page is for, and the same-origin path of its sealed bytes
 * (`/p/<id>` -> `/packs/<id>`, under any prefix the relay is served at). Problems come in the order
 * a person can fix them: a mangled id, then a missing key, then a mangled key.
 *
 * @example readPageLocation('/p/AAECAwQFBgcICQoLDA0ODw', '#<43 chars>') // { ok: true, id, key, packPath: '/packs/AAEC…' }
 */
export function readPageLocation(pathname: string, hash: string): PageLocation {
  const at = pathname.lastIndexOf(PACK_PAGE_PATH);
  const id = at < 0 ? '' : pathname.slice(at + PACK_PAGE_PATH.length);
  if (!isValidPackId(id)) return { ok: false, problem: { code: 'link/bad-id' } };
  const key = hash.startsWith('#') ? hash.slice(1) : hash;
  if (key === '') return { ok: false, problem: { code: 'link/no-key' } };
  try {
    packKeyBytes(key);
  } catch (error) {
    return { ok: false, problem: { code: 'link/bad-key', detail: error instanceof Error ? error.message : String(error) } };
  }
  return { ok: true, id, key, packPath: `${pathname.slice(0, at)}${PACKS_PATH}/${id}` };
}
