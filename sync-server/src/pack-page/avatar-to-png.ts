/**
 * A PNG of an avatar in another raster format (JPEG, WebP, GIF, AVIF), so it can carry a PNG card.
 * The browser decodes it (createImageBitmap never runs script, and the type was sniffed from the
 * bytes) and a canvas encodes it again.
 */

/** The avatar re-encoded as PNG, or null where the browser cannot (no canvas, undecodable image). */
export async function avatarToPng(bytes: Uint8Array, mime: string, doc: Document): Promise<Uint8Array | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
    const canvas = doc.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  } catch {
    return null;
  }
}
