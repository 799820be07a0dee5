/** Every way reading or writing a card can fail; the UI maps each code to a sentence. */
export type CardErrorCode =
  | 'file/empty'
  | 'file/too-large'
  | 'card/unknown-format'
  | 'card/unsupported-spec'
  | 'card/invalid-field'
  | 'json/malformed'
  | 'json/too-deep'
  | 'json/string-too-long'
  | 'base64/invalid'
  | 'png/malformed'
  | 'png/truncated'
  | 'png/bad-crc'
  | 'png/no-card-chunk'
  | 'png/bad-text-chunk'
  | 'png/text-too-large'
  | 'zip/malformed'
  | 'zip/unsupported'
  | 'zip/bad-crc'
  | 'zip/too-large'
  | 'zip/too-many-entries'
  | 'zip/path-traversal'
  | 'zip/duplicate-entry'
  | 'charx/no-card-json'
  | 'lorebook/too-many-entries';

/**
 * The one error type of the cards library: a stable `code` for programs and a readable
 * `message` (naming the field or chunk at fault) for people.
 */
export class CardError extends Error {
  override readonly name = 'CardError';

  constructor(
    readonly code: CardErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `value` is a CardError, optionally with the given code. */
export function isCardError(value: unknown, code?: CardErrorCode): value is CardError {
  return value instanceof CardError && (code === undefined || value.code === code);
}

/**
 * Something the reader fixed or dropped instead of refusing the whole file (a number where
 * text belongs, a `__proto__` key, a broken `ccv3` chunk beside a good `chara` one).
 * `path` points at the field, e.g. `data.character_book.entries[2].keys`.
 */
export interface CardWarning {
  path: string;
  message: string;
}
