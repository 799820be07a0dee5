/**
 * Tiny validators for messages crossing a trust boundary. Each returns the typed value or throws a
 * MessageError naming the field, so a bad message is refused with a reason and never half-applied.
 */
export class MessageError extends Error {
  readonly code = 'message/invalid';
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

export type Fields = Record<string, unknown>;

export function object(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MessageError(`${what} must be an object`);
  return value as Fields;
}

export function string(value: unknown, field: string, max: number, { min = 0 } = {}): string {
  if (typeof value !== 'string') throw new MessageError(`${field} must be text`);
  if (value.length < min) throw new MessageError(min === 1 ? `${field} must not be empty` : `${field} is too short`);
  if (value.length > max) throw new MessageError(`${field} is longer than ${max} characters`);
  return value;
}

export function nullable<T>(value: unknown, read: (v: unknown) => T): T | null {
  return value === null || value === undefined ? null : read(value);
}

export function oneOf<const T extends string>(value: unknown, field: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) throw new MessageError(`${field} must be one of ${options.join(', ')}`);
  return value as T;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Base64 text of at most `maxBytes` decoded bytes (binary data crosses the runtime channel as text). */
export function base64(value: unknown, field: string, maxBytes: number): string {
  const text = string(value, field, Math.ceil(maxBytes / 3) * 4);
  if (!BASE64.test(text)) throw new MessageError(`${field} must be base64`);
  return text;
}
