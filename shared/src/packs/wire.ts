/**
 * The relay's pack routes as both sides see them: paths, headers, error codes with their HTTP
 * status, and readers for the relay's answers (the extension validates what it receives).
 *
 *   POST   /packs        body: sealed pack; Troupe-Publisher-Hash; optional Troupe-Pack-Expires
 *                        -> 201 PackReceipt
 *   GET    /packs/:id    -> 200 sealed pack; Troupe-Pack-Version/-Created/-Updated/-Expires, ETag
 *                           (HEAD: the same headers only; If-None-Match: 304)
 *   PUT    /packs/:id    Authorization: Bearer <publisher secret>; body: new sealed pack
 *                        -> 200 PackReceipt (version + 1)
 *   DELETE /packs/:id    Authorization: Bearer <publisher secret> -> 204 (revoked; GET answers 410)
 *   GET    /p/:id        the link's page
 * Errors: `{ "error": { "code": <PackRelayErrorCode>, "message": "..." } }`. Times are Unix ms.
 */

import { isValidPackId } from './pack-id.ts';

export const PACKS_PATH = '/packs';
/** Path segment of share links (link.ts); the relay serves the link's page there. */
export const PACK_PAGE_PATH = '/p/';

/**
 * Set on the link page's <html> by Troupe's content script (at document_start, before the page's own
 * script) when Troupe opens the pack in its import page: the page then does not download and unlock
 * the pack a second time, and offers to show it anyway.
 */
export const OPENED_BY_TROUPE_ATTRIBUTE = 'data-opened-by-troupe';

export const PACK_HEADERS = {
  /** On POST: base64url SHA-256 of the publisher secret (publisher.ts). */
  publisherHash: 'Troupe-Publisher-Hash',
  /** On POST and PUT (request) and GET (response): expiry as Unix ms, or `never` on PUT to clear it. */
  expires: 'Troupe-Pack-Expires',
  version: 'Troupe-Pack-Version',
  created: 'Troupe-Pack-Created',
  updated: 'Troupe-Pack-Updated',
} as const;

/** Troupe-Pack-Expires value that clears an expiry on PUT. */
export const PACK_EXPIRES_NEVER = 'never';

/** Every error the pack routes answer, with its HTTP status. */
export const PACK_RELAY_ERRORS = {
  /** The id in the path is not a pack id. */
  'pack/bad-id': 400,
  /** The body is not a sealed pack (wrong magic, cut short, length mismatch). */
  'pack/bad-envelope': 400,
  /** POST without a valid Troupe-Publisher-Hash. */
  'pack/bad-publisher-hash': 400,
  /** Troupe-Pack-Expires is not a future Unix ms time (or `never` on PUT). */
  'pack/bad-expiry': 400,
  /** PUT or DELETE without `Authorization: Bearer <publisher secret>`. */
  'pack/missing-secret': 401,
  /** PUT or DELETE with a secret that is not this pack's. */
  'pack/wrong-secret': 403,
  /** No pack has this id (never had, on this relay). */
  'pack/not-found': 404,
  /** The publisher revoked the pack. */
  'pack/revoked': 410,
  /** The pack's expiry time has passed. */
  'pack/expired': 410,
  /** The upload is over the relay's pack size limit. */
  'pack/too-large': 413,
  /** Too many requests from this client; wait Retry-After seconds. */
  'pack/rate-limited': 429,
  /** The relay's store failed. */
  'pack/internal': 500,
} as const;

export type PackRelayErrorCode = keyof typeof PACK_RELAY_ERRORS;

export interface PackRelayError {
  code: PackRelayErrorCode;
  message: string;
}

/** What POST and PUT answer. */
export interface PackReceipt {
  id: string;
  version: number;
  /** Bytes stored. */
  size: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
}

/** True for a code the pack routes answer. */
export function isPackRelayErrorCode(code: unknown): code is PackRelayErrorCode {
  return typeof code === 'string' && Object.hasOwn(PACK_RELAY_ERRORS, code);
}

/**
 * The error in a pack route's answer, checked. An answer without a known code (an older relay, a
 * proxy's error page) is named by its status where that is unambiguous (404, 413, 429), else
 * `pack/internal`.
 */
export function readPackRelayError(status: number, body: unknown): PackRelayError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isPackRelayErrorCode(code)) return { code, message: typeof message === 'string' ? message.slice(0, 500) : code };
  }
  const byStatus: Partial<Record<number, PackRelayErrorCode>> = { 404: 'pack/not-found', 413: 'pack/too-large', 429: 'pack/rate-limited' };
  return { code: byStatus[status] ?? 'pack/internal', message: `The relay answered ${status}.` };
}

/** The receipt in a POST or PUT answer, or null when the answer is not one. */
export function readPackReceipt(body: unknown): PackReceipt | null {
  if (typeof body !== 'object' || body === null) return null;
  const r = body as Record<string, unknown>;
  const time = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  if (typeof r['id'] !== 'string' || !isValidPackId(r['id']) || !time(r['version']) || !time(r['size']) || !time(r['createdAt']) || !time(r['updatedAt'])) return null;
  if (r['expiresAt'] !== null && !time(r['expiresAt'])) return null;
  return { id: r['id'], version: r['version'], size: r['size'], createdAt: r['createdAt'], updatedAt: r['updatedAt'], expiresAt: r['expiresAt'] as number | null };
}
