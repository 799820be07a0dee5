import { RelayError } from './errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A bounds-checked reader for lib0's variable-length encoding, used to check frames from clients
 * before any of their bytes reach Yjs. Every count it returns is at most the bytes left, so a
 * hostile frame cannot make a decoder loop or allocate beyond the size of the frame itself.
 */
export class BinaryReader {
  pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  uint8(): number {
    const value = this.bytes[this.pos];
    if (value === undefined) throw malformed('unexpected end of frame');
    this.pos++;
    return value;
  }

  varUint(): number {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.uint8();
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      multiplier *= 128;
    }
    throw malformed('integer out of range');
  }

  /** lib0's signed varInt: first byte holds a sign bit and 6 value bits. */
  varInt(): void {
    let byte = this.uint8();
    for (let i = 0; byte >= 0x80; i++) {
      if (i >= 8) throw malformed('integer out of range');
      byte = this.uint8();
    }
  }

  /** A count of items that each take at least one byte: never more than the bytes left. */
  count(): number {
    const n = this.varUint();
    if (n > this.remaining) throw malformed('count exceeds frame');
    return n;
  }

  bytesOf(length: number): Uint8Array {
    if (length > this.remaining) throw malformed('length exceeds frame');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  varBytes(): Uint8Array {
    return this.bytesOf(this.varUint());
  }

  skip(length: number): void {
    if (length > this.remaining) throw malformed('length exceeds frame');
    this.pos += length;
  }

  /** Skips a length-prefixed byte string (or UTF-8 string) without copying or decoding it. */
  skipVarBytes(): void {
    this.skip(this.varUint());
  }

  varString(): string {
    try {
      return decoder.decode(this.varBytes());
    } catch (error) {
      if (error instanceof RelayError) throw error;
      throw malformed('invalid UTF-8');
    }
  }

  end(): void {
    if (this.remaining !== 0) throw malformed('trailing bytes');
  }
}

export function malformed(detail: string): RelayError {
  return new RelayError('frame/malformed', detail);
}
