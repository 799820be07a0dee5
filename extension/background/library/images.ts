/**
 * Image work the library needs that decodes pixels: shrinking avatars to list thumbnails, and turning
 * a non-PNG avatar into the PNG a PNG card needs (sniffing and sizes are in @troupe/shared/bytes). The browser version
 * uses createImageBitmap and OffscreenCanvas, which the background service worker has.
 */
import { THUMB_PX, THUMB_QUALITY } from '../../messaging/limits/library.ts';
import { bytesToBase64, imageSize, squareCrop, type RasterMime } from '@troupe/shared/bytes';

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
