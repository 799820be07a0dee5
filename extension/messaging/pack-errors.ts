/**
 * Every way sharing or opening a pack can fail, as one code set with the sentence a person reads:
 * the pack's own codes (@troupe/shared/packs errors.ts), the relay's (wire.ts), and the extension's.
 * The background throws these codes with these words; the pages show the words.
 */
import { MAX_PACK_LINK_CHARS, MAX_SEALED_PACK_BYTES, type PackErrorCode, type PackRelayErrorCode } from '@troupe/shared/packs';
import { MAX_TRACKED_PACKS } from './limits/packs.ts';

const MiB = 1024 * 1024;

/** The extension's own pack failures. */
export type ExtensionPackErrorCode =
  /** Sharing with no relay address set, and the default one did not answer. */
  | 'packs/no-relay'
  /** fetch() failed: the relay is down, the address is wrong, or the network is off. */
  | 'packs/relay-unreachable'
  /** The relay answered something that is not a pack route's answer (an older relay, a proxy page). */
  | 'packs/relay-answer'
  /** The relay took longer than PACK_RELAY_TIMEOUT_MS. */
  | 'packs/relay-timeout'
  /** A shared pack id this device does not know. */
  | 'packs/not-shared'
  /** An imported pack id this device does not know. */
  | 'packs/not-imported'
  /** Sharing with no character picked, or every character of a shared pack was deleted. */
  | 'packs/no-characters'
  /** A character picked for sharing is no longer in the library. */
  | 'packs/character-gone'
  /** MAX_TRACKED_PACKS reached. */
  | 'packs/too-many-tracked'
  /** The library refused an item while importing (nothing was stored). */
  | 'packs/import-failed'
  /** The pack got a new version between its preview and Add: preview it again. */
  | 'packs/changed-since-preview'
  /** A relay page asked to open a link of another site. */
  | 'packs/not-relay-page';

export type PacksErrorCode = PackErrorCode | PackRelayErrorCode | ExtensionPackErrorCode;

const MESSAGES: Record<PacksErrorCode, string> = {
  'pack/not-a-pack': 'What the relay sent is not a Troupe pack.',
  'pack/newer-format': 'This pack was made by a newer Troupe: update Troupe to open it.',
  'pack/truncated': 'The pack arrived cut short: the download was interrupted. Try again.',
  'pack/cannot-decrypt': "The link's key does not open this pack, or the pack was altered after it was shared. Ask for the link again, copied whole.",
  'pack/bad-key': "The link's key is not valid: the link was cut short or changed. Ask for the whole link.",
  'pack/too-large': `The pack is larger than packs may be (${MAX_SEALED_PACK_BYTES / MiB} MiB sealed, or the relay's own limit).`,
  'pack/too-many': 'The pack holds more characters, assets or lorebook entries than Troupe accepts.',
  'pack/corrupt': 'The pack opens, but its content is malformed: it was not made by Troupe.',
  'pack/empty': 'The pack holds no character.',
  'pack/bad-card': 'A card in the pack is refused by the card library, so nothing was imported.',
  'pack/bad-asset': 'An image or other asset in the pack is malformed, so nothing was imported.',
  'pack/bad-persona': 'A persona in the pack is malformed, so nothing was imported.',
  'pack/bad-settings': "A character's settings in the pack are malformed, so nothing was imported.",
  'pack/unsupported-runtime': 'This browser cannot open packs (it lacks WebCrypto or CompressionStream).',
  'link/not-a-pack-link': 'That is not a pack link. A pack link looks like https://relay.example/p/<id>#<key>.',
  'link/no-key': 'The link has no key (the part after "#" is missing). Ask for the whole link.',
  'link/bad-key': "The link's key is cut short or changed. Ask for the whole link.",
  'link/bad-id': 'The link is cut short: its pack id is incomplete. Ask for the whole link.',
  'link/bad-relay-url': `The relay address cannot go into a share link: it must be an http(s) or ws(s) address without query, and short enough for a ${MAX_PACK_LINK_CHARS}-character link. Change it under Sync.`,
  'publisher/bad-secret': "This device's right to publish the pack is damaged; share the characters again as a new pack.",
  'pack/bad-id': 'The relay does not accept this pack id: the link is damaged.',
  'pack/bad-envelope': 'The relay refused the upload: it is not a sealed pack.',
  'pack/bad-publisher-hash': 'The relay refused the upload (no valid publisher hash).',
  'pack/bad-expiry': 'The relay refused the expiry time.',
  'pack/missing-secret': 'The relay asked for the publisher secret, which this device did not send.',
  'pack/wrong-secret': 'The relay says this device did not publish that pack.',
  'pack/not-found': 'The relay has no such pack: the link is wrong, or it points to another relay.',
  'pack/revoked': 'This pack was revoked: its publisher stopped sharing it.',
  'pack/expired': 'This pack has expired: its publisher shared it for a limited time.',
  'pack/rate-limited': 'The relay is getting too many pack requests from this address: try again in a while.',
  'pack/internal': 'The relay failed to handle the pack. Try again later.',
  'packs/no-relay': 'No relay is set for sharing, and none answers at the default address: set your relay\'s address under Sync (pairing is not needed).',
  'packs/relay-unreachable': 'Troupe could not reach the relay. Check the address (under Sync) and that the relay is running.',
  'packs/relay-answer': 'The relay answered something Troupe does not understand: is it a Troupe relay with packs?',
  'packs/relay-timeout': 'The relay took too long to answer. Try again.',
  'packs/not-shared': 'This device does not share that pack (any more).',
  'packs/not-imported': 'That pack is not among your imported packs (any more).',
  'packs/no-characters': 'Pick at least one character to share; a pack whose characters were all deleted cannot be updated (stop sharing it instead).',
  'packs/character-gone': 'A character you picked is no longer in your library.',
  'packs/too-many-tracked': `Troupe keeps at most ${MAX_TRACKED_PACKS} shared and ${MAX_TRACKED_PACKS} imported packs: stop sharing or forget some first.`,
  'packs/import-failed': 'Your library refused part of the pack, so nothing was imported.',
  'packs/changed-since-preview': 'The publisher changed the pack since you opened it: look at the new version, then add it.',
  'packs/not-relay-page': 'Only your relay\'s own link page may open a pack.',
};

/** True for a code of this set. */
export function isPacksErrorCode(code: unknown): code is PacksErrorCode {
  return typeof code === 'string' && Object.hasOwn(MESSAGES, code);
}

/** The sentence for a pack failure. */
export function packErrorMessage(code: PacksErrorCode): string {
  return MESSAGES[code];
}
