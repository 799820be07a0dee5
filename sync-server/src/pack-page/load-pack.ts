/**
 * Downloads the sealed pack from the relay and opens it with the link's key, turning every way that
 * can fail into a PageProblem. Uses only fetch, WebCrypto and DecompressionStream, so it runs the
 * same in the browser and in Node (where the tests drive it against the relay's real routes).
 */
import { isPackError, openPack, PACK_HEADERS, readPackRelayError, type OpenedPack, type PackKey } from '@troupe/shared/packs';
import type { PageProblem } from './problems.ts';

export type LoadResult = { ok: true; opened: OpenedPack; version: number | null } | { ok: false; problem: PageProblem };

/** The request options the loader sets (a subset of fetch's RequestInit in every runtime). */
export interface FetchOptions {
  cache: 'no-store';
  credentials: 'omit';
  referrerPolicy: 'no-referrer';
}

/** fetch as this module uses it: a URL in, a Response out. */
export type Fetcher = (url: string, init: FetchOptions) => Promise<Response>;

/**
 * What the runtime lacks of what opening a pack needs; empty when it has everything. WebCrypto's
 * `subtle` exists only on secure pages (https, or http on this computer).
 */
export function missingFeatures(scope: object = globalThis): string[] {
  const g = scope as Record<string, unknown>;
  const missing: string[] = [];
  const cryptoObject = g['crypto'] as { subtle?: unknown } | undefined;
  if (!cryptoObject?.subtle) missing.push('WebCrypto (crypto.subtle)');
  if (typeof g['DecompressionStream'] !== 'function') missing.push('DecompressionStream');
  if (typeof g['Blob'] !== 'function') missing.push('Blob');
  const url = g['URL'] as { createObjectURL?: unknown } | undefined;
  if (typeof url?.createObjectURL !== 'function') missing.push('URL.createObjectURL');
  return missing;
}

/**
 * Fetches `packUrl` and opens it with `key`. The relay's error answers (404, 410 revoked or expired,
 * 429...) keep their codes; a failed connection, a body cut off mid-download and anything that is not
 * a pack each get their own; opening refuses the whole pack on the first problem (see openPack).
 */
export async function loadPack(packUrl: string, key: PackKey, fetcher: Fetcher): Promise<LoadResult> {
  let response: Response;
  try {
    // no-store: a revoked pack must stop opening at once, never come back from the HTTP cache.
    response = await fetcher(packUrl, { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (error) {
    return { ok: false, problem: { code: 'page/unreachable', detail: String(error) } };
  }
  if (!response.ok) return { ok: false, problem: await relayProblem(response) };
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/octet-stream')) {
    await response.body?.cancel().catch(() => {});
    return { ok: false, problem: { code: 'page/unexpected-answer', detail: `The relay answered ${response.status} with ${type || 'no type'}.` } };
  }
  let sealed: Uint8Array;
  try {
    sealed = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    return { ok: false, problem: { code: 'page/download-broken', detail: String(error) } };
  }
  const version = Number(response.headers.get(PACK_HEADERS.version));
  try {
    const opened = await openPack(sealed, key);
    return { ok: true, opened, version: Number.isSafeInteger(version) && version > 0 ? version : null };
  } catch (error) {
    if (!isPackError(error)) throw error;
    const problem: PageProblem = { code: error.code, detail: error.message };
    if (error.item !== undefined) problem.item = error.item;
    if (error.cardCode !== undefined) problem.cardCode = error.cardCode;
    return { ok: false, problem };
  }
}

/** The relay's error answer as a problem; an answer that is not the relay's JSON is named by its status. */
async function relayProblem(response: Response): Promise<PageProblem> {
  let body: unknown = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) body = await response.json().catch(() => null);
  else await response.body?.cancel().catch(() => {});
  const error = readPackRelayError(response.status, body);
  if (body === null && error.code === 'pack/internal' && response.status < 500) {
    return { code: 'page/unexpected-answer', detail: `The relay answered ${response.status}.` };
  }
  return { code: error.code, detail: error.message };
}
