/**
 * Character packs shared by link: the plain format, sealing (gzip + AES-GCM-256 under a key that
 * lives only in the link's fragment), the share link, the publisher secret, and the relay's pack
 * routes as both sides see them. Pure TypeScript: WebCrypto and CompressionStream from globalThis.
 */
export { PackError, isPackError, type PackErrorCode } from './errors.ts';
export * from './limits.ts';
export { PACK_FORMAT, type OpenedPack, type Pack, type PackAsset, type PackCharacter, type PackPersona, type PackWarning } from './model.ts';
export { decodePackContent, encodePackContent } from './content-format.ts';
export {
  PACK_ENVELOPE_HEADER_BYTES,
  PACK_ENVELOPE_MAGIC,
  PACK_ENVELOPE_VERSION,
  PACK_IV_BYTES,
  PACK_TAG_BYTES,
  checkSealedPack,
  readEnvelope,
  type PackEnvelope,
} from './envelope.ts';
export { PACK_KEY_BYTES, PACK_KEY_CHARS, createPackKey, openPack, packKeyBytes, sealPack, type PackKey, type SealedPack } from './seal.ts';
export { PACK_ID_BYTES, PACK_ID_CHARS, createPackId, isValidPackId } from './pack-id.ts';
export { MAX_PACK_RELAY_URL_CHARS, packFetchUrl, packLink, parsePackLink, relayHttpUrl, type PackLink } from './link.ts';
export { PUBLISHER_SECRET_BYTES, createPublisherSecret, isPublisherHash, isPublisherSecret, publisherHash, type PublisherSecret } from './publisher.ts';
export {
  OPENED_BY_TROUPE_ATTRIBUTE,
  PACK_EXPIRES_NEVER,
  PACK_HEADERS,
  PACK_PAGE_PATH,
  PACK_RELAY_ERRORS,
  PACKS_PATH,
  isPackRelayErrorCode,
  readPackRelayError,
  readPackReceipt,
  type PackReceipt,
  type PackRelayError,
  type PackRelayErrorCode,
} from './wire.ts';
