/**
 * gzip through the platform's CompressionStream / DecompressionStream (Chromium, Firefox, Safari,
 * Node >= 18): native speed, no dependency, and decompression can stop at a byte limit, which is
 * what makes it safe on a stranger's pack. `shared/` is typed without DOM or Node, so the few
 * members used are declared here and looked up on globalThis.
 */
import { concatBytes } from '../cards/bytes.ts';
import { PackError } from './errors.ts';

interface ByteReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface ByteWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface ByteTransform {
  readable: { getReader(): ByteReader };
  writable: { getWriter(): ByteWriter };
}
type TransformConstructor = new (format: 'gzip') => ByteTransform;

function transform(name: 'CompressionStream' | 'DecompressionStream'): ByteTransform {
  const Ctor = (globalThis as unknown as Record<string, TransformConstructor | undefined>)[name];
  if (typeof Ctor !== 'function') throw new PackError('pack/unsupported-runtime', `This browser has no ${name}; packs need it.`);
  return new Ctor('gzip');
}

/** Runs `input` through a stream transform, refusing output beyond `maxOutput` bytes without producing it. */
async function run(stream: ByteTransform, input: Uint8Array, maxOutput: number): Promise<Uint8Array | 'too-large'> {
  const writer = stream.writable.getWriter();
  // Written while reading: awaiting the write first would deadlock on the stream's backpressure.
  const writing = writer.write(input).then(() => writer.close());
  // Any write failure also errors the readable side, where it is reported.
  writing.catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    total += value.length;
    if (total > maxOutput) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    chunks.push(value);
  }
  await writing;
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
}

/** gzip of `bytes`. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  // gzip never grows input by more than a few bytes per 16 KB block.
  const out = await run(transform('CompressionStream'), bytes, bytes.length + 1024 + Math.ceil(bytes.length / 1000));
  if (out === 'too-large') throw new PackError('pack/too-large', 'The pack did not compress.');
  return out;
}

/**
 * The bytes `gzipped` holds, or PackError: `pack/too-large` past `maxBytes` (a gzip bomb stops
 * there, nothing beyond is kept), `pack/corrupt` when it is not whole, valid gzip.
 */
export async function gunzip(gzipped: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let out: Uint8Array | 'too-large';
  try {
    out = await run(transform('DecompressionStream'), gzipped, maxBytes);
  } catch (error) {
    if (error instanceof PackError) throw error;
    throw new PackError('pack/corrupt', 'The pack content is not valid compressed data.', { cause: error });
  }
  if (out === 'too-large') throw new PackError('pack/too-large', `The pack decompresses to more than ${maxBytes} bytes.`);
  return out;
}
