/** Inflation with a hard output limit, checked while inflating (a compressed size says nothing). */
import { Inflate, Unzlib } from 'fflate';
import { concatBytes } from './bytes.ts';

/**
 * Compressed bytes are fed in slices this small so one slice can inflate to at most ~8 MiB
 * (DEFLATE's best ratio is about 1032:1) before the running total is checked again.
 */
const INPUT_SLICE_BYTES = 8 * 1024;

/** Thrown when the output would pass the limit; callers turn it into their own CardError. */
export class InflateLimitError extends Error {
  override readonly name = 'InflateLimitError';
}

/**
 * Inflates raw DEFLATE (`raw`, as in ZIP) or zlib-wrapped (`zlib`, as in PNG) data, stopping
 * with InflateLimitError as soon as the output passes `maxBytes`. Corrupt input throws the
 * underlying fflate error.
 */
export function inflateLimited(data: Uint8Array, format: 'raw' | 'zlib', maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const onData = (chunk: Uint8Array, final: boolean): void => {
    total += chunk.length;
    if (total > maxBytes) throw new InflateLimitError(`Inflated data passes ${maxBytes} bytes.`);
    if (chunk.length > 0) chunks.push(chunk);
    if (final) ended = true;
  };
  const stream = format === 'raw' ? new Inflate(onData) : new Unzlib(onData);
  if (data.length === 0) stream.push(data, true);
  for (let offset = 0; offset < data.length; offset += INPUT_SLICE_BYTES) {
    const end = Math.min(offset + INPUT_SLICE_BYTES, data.length);
    stream.push(data.subarray(offset, end), end === data.length);
  }
  if (!ended) throw new Error('The compressed data ended early.');
  return concatBytes(chunks);
}
