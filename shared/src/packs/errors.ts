import type { CardErrorCode } from '../cards/errors.ts';

/**
 * Every way making, opening or linking a pack can fail; the UI maps each code to a sentence.
 * Opening refuses the whole pack on any of them, so nothing is ever half-imported.
 */
export type PackErrorCode =
  /** Not a Troupe pack at all (wrong magic, or junk). */
  | 'pack/not-a-pack'
  /** Made by a newer Troupe (envelope or content format above what this one reads). */
  | 'pack/newer-format'
  /** Shorter than its header says: the download or the copy was cut off. */
  | 'pack/truncated'
  /** The key does not open it, or its bytes were changed after sealing (AES-GCM cannot tell which). */
  | 'pack/cannot-decrypt'
  /** The key is not a pack key (not 32 bytes of base64url). */
  | 'pack/bad-key'
  /** Over a size limit: the sealed pack, its decompressed content, its manifest or one asset. */
  | 'pack/too-large'
  /** Over a count limit: characters, assets, lorebooks, lorebook entries, personas. */
  | 'pack/too-many'
  /** Decrypts, but its content is malformed (only a broken or hostile publisher makes this). */
  | 'pack/corrupt'
  /** Holds no character. */
  | 'pack/empty'
  /** A card or lorebook the card library refuses (see `cardCode`). */
  | 'pack/bad-card'
  /** An asset with a malformed name, URI or type. */
  | 'pack/bad-asset'
  /** A persona with a malformed name, description or avatar. */
  | 'pack/bad-persona'
  /** Per-character settings that are not a small plain object. */
  | 'pack/bad-settings'
  /** This runtime lacks WebCrypto or CompressionStream. */
  | 'pack/unsupported-runtime'
  /** Link text that is not a pack link. */
  | 'link/not-a-pack-link'
  /** A pack link without its key (the part after `#` is missing). */
  | 'link/no-key'
  /** A pack link whose key is cut short or mangled. */
  | 'link/bad-key'
  /** A pack link whose id is cut short or mangled. */
  | 'link/bad-id'
  /** A relay address a link cannot carry (not http(s), has a query, or too long for the 120-character link). */
  | 'link/bad-relay-url'
  /** A publisher secret that is not 32 bytes of base64url. */
  | 'publisher/bad-secret';

/**
 * The one error type of packs: a stable `code`, a readable `message`, and where it applies, the
 * item at fault (`characters[2]`, `lorebooks[0]`) and the card library's own code.
 */
export class PackError extends Error {
  override readonly name = 'PackError';
  /** The item at fault, e.g. `characters[1].assets[3]`. */
  readonly item: string | undefined;
  /** For `pack/bad-card`: the card library's reason (`json/too-deep`, `lorebook/too-many-entries`...). */
  readonly cardCode: CardErrorCode | undefined;

  constructor(
    readonly code: PackErrorCode,
    message: string,
    options: { item?: string; cardCode?: CardErrorCode; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.item = options.item;
    this.cardCode = options.cardCode;
  }
}

/** True when `value` is a PackError, optionally with the given code. */
export function isPackError(value: unknown, code?: PackErrorCode): value is PackError {
  return value instanceof PackError && (code === undefined || value.code === code);
}
