/**
 * Reads a request body up to `maxBytes`, or answers 'too-large' without reading further: a declared
 * Content-Length over the limit is refused before any byte is read, and a body that lies about its
 * length (or has none, chunked) is cut off as soon as it passes the limit.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array | 'too-large'> {
  const declared = request.headers.get('content-length');
  const length = declared === null ? null : Number(declared);
  if (length !== null && Number.isFinite(length) && length > maxBytes) return 'too-large';
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  // Sized once from an honest Content-Length; grown by doubling otherwise.
  let buffer = new Uint8Array(length !== null && Number.isSafeInteger(length) && length >= 0 ? length : 64 * 1024);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > maxBytes) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    if (size + value.length > buffer.length) {
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(size + value.length, buffer.length * 2)));
      grown.set(buffer.subarray(0, size));
      buffer = grown;
    }
    buffer.set(value, size);
    size += value.length;
  }
  return size === buffer.length ? buffer : buffer.subarray(0, size);
}
