/**
 * Character thumbnails from SillyTavern's `/thumbnail?type=avatar&file=<card>` (small images it makes
 * and caches itself), as data URLs. The options page cannot show SillyTavern's URL in an <img>: its
 * responses carry `Cross-Origin-Resource-Policy: same-origin`, so Chrome blocks them in another origin.
 */
import type { FetchLike } from '../sillytavern/index.ts';
import { isAvatarFileName } from '../sillytavern/index.ts';
import { readBodyLimited } from '../sillytavern/read-body.ts';
import { mapLimit } from './concurrency.ts';
import { ST_MAX_THUMBNAIL_BYTES, ST_THUMBNAIL_CONCURRENCY, ST_THUMBNAIL_TIMEOUT_MS } from '../../messaging/limits/st-import.ts';
import type { StThumbnail } from '../../messaging/st-import-types.ts';

/** The raster type of image bytes by their signature, or null (anything else, SVG included, is refused). */
export function sniffImageType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | null {
  const at = (i: number): number | undefined => bytes[i];
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x38) return 'image/gif';
  const riff = at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46;
  if (riff && at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50) return 'image/webp';
  return null;
}

/** Base64 of bytes, in slices (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  return btoa(binary);
}

async function fetchThumbnail(baseUrl: string, avatar: string, doFetch: FetchLike): Promise<string | null> {
  if (!isAvatarFileName(avatar)) return null;
  try {
    const res = await doFetch(`${baseUrl}/thumbnail?type=avatar&file=${encodeURIComponent(avatar)}`, {
      credentials: 'include',
      headers: { accept: 'image/*' },
      signal: AbortSignal.timeout(ST_THUMBNAIL_TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    const bytes = await readBodyLimited(res, ST_MAX_THUMBNAIL_BYTES);
    const type = bytes === null ? null : sniffImageType(bytes);
    return bytes === null || type === null ? null : `data:${type};base64,${toBase64(bytes)}`;
  } catch {
    // A missing thumbnail is not worth an error: the picker shows the character's initial instead.
    return null;
  }
}

/**
 * Thumbnails of the given characters, in order; null for any SillyTavern could not give (missing,
 * too slow, too large, not an image).
 */
export function fetchThumbnails(baseUrl: string, avatars: readonly string[], doFetch: FetchLike): Promise<StThumbnail[]> {
  return mapLimit(avatars, ST_THUMBNAIL_CONCURRENCY, async (avatar) => ({ avatar, dataUrl: await fetchThumbnail(baseUrl, avatar, doFetch) }));
}
