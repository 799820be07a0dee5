/**
 * Image work the library needs: sniffing what an asset really is, shrinking avatars to list
 * thumbnails, and turning a non-PNG avatar into the PNG a PNG card needs. The browser version
 * uses createImageBitmap and OffscreenCanvas, which the background service worker has.
 */
import { THUMB_PX, THUMB_QUALITY } from '../../messaging/limits/library.ts';
import { bytesToBase64 } from './base64.ts';

/** What the library asks of an image codec; tests pass a fake, the background the browser's. */
export interface ImageTools {
  /**
   * A square THUMB_PX thumbnail as a data URL, or null when the image cannot be decoded. `head` is
   * the image's first bytes (see IMAGE_HEADER_BYTES), from which its size is read.
   */
  thumbnail(image: Blob, mime: RasterMime, head: Uint8Array): Promise<string | null>;
  /** The image re-encoded as PNG, or null when it cannot be decoded. */
  toPng(bytes: Uint8Array, mime: RasterMime): Promise<Uint8Array | null>;
}

/** A base64 data URL of a raster image: how avatars cross into a page. Never SVG, which can carry script. */
export const RASTER_DATA_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/;

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

/**
 * Width and height from an image's header (PNG, GIF, WebP, JPEG), without decoding it; null when
 * the header is not one of those or is cut short.
 */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mime = sniffRaster(bytes);
  try {
    if (mime === 'image/png') return { width: view.getUint32(16), height: view.getUint32(20) };
    if (mime === 'image/gif') return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
    if (mime === 'image/webp') {
      const kind = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
      if (kind === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
      if (kind === 'VP8L') {
        const bits = view.getUint32(21, true);
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
      }
      if (kind === 'VP8X') return { width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
      return null;
    }
    if (mime === 'image/jpeg') {
      let at = 2;
      while (at + 9 < bytes.length) {
        if (bytes[at] !== 0xff) return null;
        const marker = bytes[at + 1]!;
        // Start-of-frame markers carry the size; 0xC4 (DHT), 0xC8 and 0xCC (arithmetic) are not frames.
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
        }
        at += 2 + view.getUint16(at + 2);
      }
    }
  } catch {
    return null; // header cut short
  }
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
  const decode = async (image: Blob): Promise<ImageBitmap | null> => {
    try {
      return await createImageBitmap(image);
    } catch {
      return null;
    }
  };
  /** Cropped and scaled while decoding when the header gives the size (one pass, no full-size bitmap kept). */
  const decodeThumb = async (image: Blob, head: Uint8Array): Promise<{ bitmap: ImageBitmap; scaled: boolean } | null> => {
    const size = imageSize(head);
    if (size && size.width > 0 && size.height > 0) {
      const { x, y, side } = squareCrop(size.width, size.height);
      try {
        return { bitmap: await createImageBitmap(image, x, y, side, side, { resizeWidth: THUMB_PX, resizeHeight: THUMB_PX, resizeQuality: 'high' }), scaled: true };
      } catch {
        // Fall back to a plain decode below.
      }
    }
    const bitmap = await decode(image);
    return bitmap ? { bitmap, scaled: false } : null;
  };
  return {
    async thumbnail(image, mime, head) {
      const typed = image.type === mime ? image : image.slice(0, image.size, mime);
      const decoded = await decodeThumb(typed, head);
      if (!decoded) return null;
      const { bitmap, scaled } = decoded;
      try {
        const canvas = new OffscreenCanvas(THUMB_PX, THUMB_PX);
        const context = canvas.getContext('2d');
        if (!context) return null;
        context.imageSmoothingQuality = 'high';
        if (scaled) context.drawImage(bitmap, 0, 0);
        else {
          const { x, y, side } = squareCrop(bitmap.width, bitmap.height);
          context.drawImage(bitmap, x, y, side, side, 0, 0, THUMB_PX, THUMB_PX);
        }
        const blob = await canvas.convertToBlob({ type: 'image/webp', quality: THUMB_QUALITY });
        return `data:${blob.type};base64,${bytesToBase64(new Uint8Array(await blob.arrayBuffer()))}`;
      } finally {
        bitmap.close();
      }
    },
    async toPng(bytes, mime) {
      const bitmap = await decode(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
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
