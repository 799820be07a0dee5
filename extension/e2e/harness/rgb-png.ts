/**
 * A real 8-bit RGB PNG made from a pixel function, for tests and benches that need portraits a browser
 * or SillyTavern decodes like any other (the chunks are written by the card code's own encodePng).
 */
import { deflateSync } from 'node:zlib';
import { encodePng } from '@troupe/shared/cards';

/** `pixel(x, y)` gives [r, g, b], each 0-255; it is called row by row, left to right. `level`: deflate's (1 is fast for big noisy images). */
export function rgbPng(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number], { level }: { level?: number } = {}): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const stride = width * 3 + 1; // a filter byte (0: none) before each row
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y).map((v) => v & 255), y * stride + 1 + x * 3);
  }
  return encodePng([{ type: 'IHDR', data: header }, { type: 'IDAT', data: new Uint8Array(deflateSync(raw, level === undefined ? {} : { level })) }, { type: 'IEND', data: new Uint8Array(0) }]);
}
