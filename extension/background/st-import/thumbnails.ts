/**
 * Character thumbnails from SillyTavern's `/thumbnail?type=avatar&file=<card>` (small images it makes
 * and caches itself), as data URLs. The options page cannot show SillyTavern's URL in an <img>: its
 * responses carry `Cross-Origin-Resource-Policy: same-origin`, so Chrome blocks them in another origin.
 */
import type { FetchLike } from '../sillytavern/index.ts';
import { isAvatarFileName } from '../sillytavern/index.ts';
import { readBodyLimited } from '../http/read-body.ts';
import { mapLimit } from '@troupe/shared/batch';
import { dataUrl, sniffRaster } from '@troupe/shared/bytes';
import { ST_MAX_THUMBNAIL_BYTES, ST_THUMBNAIL_CONCURRENCY, ST_THUMBNAIL_TIMEOUT_MS } from '../../messaging/limits/st-import.ts';
import type { StThumbnail } from '../../messaging/st-import-types.ts';

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
    const type = bytes === null ? null : sniffRaster(bytes);
    // AVIF is not among the types a page may show (RASTER_DATA_URL).
    return bytes === null || type === null || type === 'image/avif' ? null : dataUrl(type, bytes);
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
