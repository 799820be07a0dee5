/**
 * Image work the library needs: sniffing what an asset really is, shrinking avatars to list
 * thumbnails, and turning a non-PNG avatar into the PNG a PNG card needs. The browser version
 * uses createImageBitmap and OffscreenCanvas, which the background service worker has.
 */
import { THUMB_PX, THUMB_QUALITY } from './limits.ts';
import { bytesToBase64 } from './base64.ts';

/** What the library asks of an image codec; tests pass a fake, the background the browser's. */
export interface ImageTools {
  /** A square THUMB_PX thumbnail as a data URL, or null when the image cannot be decoded. */
  thumbnail(bytes: Uint8Array, mime: RasterMime): Promise<string | null>;
  /** The image re-encoded as PNG, or null when it cannot be decoded. */
  toPng(bytes: Uint8Array, mime: RasterMime): Promise<Uint8Array | null>;
}

/** Raster formats browsers decode. SVG is never shown or decoded: it can carry script. */
export type RasterMime = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' | 'image/avif';

/**
 * The raster format of some bytes, read from their signature (a file's name or declared type
 * can lie), or null for anything else.
 */
export function sniffRaster(bytes: Uint8Array): RasterMime | null {
  const at = (i: number, ...values: number[]) => values.every((v, j) => bytes[i + j] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(4, 0x66, 0x74, 0x79, 0x70) && (at(8, 0x61, 0x76, 0x69, 0x66) || at(8, 0x61, 0x76, 0x69, 0x73))) return 'image/avif';
  return null;
}

/** Where to cut a square out of a w x h image: centred across, near the top down (faces sit high in portraits). */
export function squareCrop(width: number, height: number): { x: number; y: number; side: number } {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 5), side };
}

/** Image tools for a context with createImageBitmap and OffscreenCanvas (the service worker), or null elsewhere. */
export function browserImageTools(): ImageTools | null {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  const decode = async (bytes: Uint8Array, mime: string): Promise<ImageBitmap | null> => {
    try {
      return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
    } catch {
      return null;
    }
  };
  return {
    async thumbnail(bytes, mime) {
      const bitmap = await decode(bytes, mime);
      if (!bitmap) return null;
      try {
        const { x, y, side } = squareCrop(bitmap.width, bitmap.height);
        const canvas = new OffscreenCanvas(THUMB_PX, THUMB_PX);
        const context = canvas.getContext('2d');
        if (!context) return null;
        context.imageSmoothingQuality = 'high';
        context.drawImage(bitmap, x, y, side, side, 0, 0, THUMB_PX, THUMB_PX);
        const blob = await canvas.convertToBlob({ type: 'image/webp', quality: THUMB_QUALITY });
        return `data:${blob.type};base64,${bytesToBase64(new Uint8Array(await blob.arrayBuffer()))}`;
      } finally {
        bitmap.close();
      }
    },
    async toPng(bytes, mime) {
      const bitmap = await decode(bytes, mime);
      if (!bitmap) return null;
      try {
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
        return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      } finally {
        bitmap.close();
      }
    },
  };
}
