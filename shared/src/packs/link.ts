/**
 * Share links, layout 1: `<relay>/p/<id>#<key>`, at most MAX_PACK_LINK_CHARS (120) characters.
 *
 *   <relay>  the relay's http(s) address, with an optional path, no query, no trailing slash
 *   <id>     22 base64url characters (pack-id.ts)
 *   <key>    43 base64url characters, the AES-256 key (seal.ts); only in the fragment, which browsers
 *            never send to a server, so the relay that serves the link never sees it
 *
 * The id and key take 69 characters with `/p/` and `#`, so the relay address may hold 51. The
 * layout is versioned by its path: a different layout would use another segment than `/p/`.
 */
import { isValidPackId, PACK_ID_CHARS } from './pack-id.ts';
import { PackError } from './errors.ts';
import { MAX_PACK_LINK_CHARS } from './limits.ts';
import { packKeyBytes, PACK_KEY_CHARS, type PackKey } from './seal.ts';
import { PACK_PAGE_PATH, PACKS_PATH } from './wire.ts';

/** Longest relay address a link can carry and stay within MAX_PACK_LINK_CHARS. */
export const MAX_PACK_RELAY_URL_CHARS = MAX_PACK_LINK_CHARS - PACK_PAGE_PATH.length - PACK_ID_CHARS - '#'.length - PACK_KEY_CHARS;

/** What a pack link carries. */
export interface PackLink {
  /** The relay's http(s) address, without a trailing slash. */
  relayUrl: string;
  id: string;
  key: PackKey;
}

const RELAY_URL = /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/;

/**
 * The relay's http(s) address from the address the extension syncs with (`ws://` -> `http://`,
 * `wss://` -> `https://`, trailing slashes and a trailing `/sync` dropped). Throws
 * PackError('link/bad-relay-url') for anything that is not an address without query or fragment.
 *
 * @example relayHttpUrl('wss://relay.example/sync') // 'https://relay.example'
 */
export function relayHttpUrl(relayUrl: string): string {
  let url = relayUrl.trim().replace(/^ws(s?):\/\//i, (_, s: string) => `http${s}://`);
  url = url.replace(/\/+$/, '').replace(/\/sync$/, '');
  if (!RELAY_URL.test(url)) throw new PackError('link/bad-relay-url', 'The relay address must be an http(s) or ws(s) URL without query or fragment.');
  return url;
}

/**
 * The share link for a pack. Throws PackError: `link/bad-relay-url` (including an address longer than
 * MAX_PACK_RELAY_URL_CHARS, which would push the link past 120 characters), `link/bad-id`, `pack/bad-key`.
 */
export function packLink(relayUrl: string, id: string, key: PackKey): string {
  const relay = relayHttpUrl(relayUrl);
  if (relay.length > MAX_PACK_RELAY_URL_CHARS) {
    throw new PackError('link/bad-relay-url', `The relay address is ${relay.length} characters; share links allow ${MAX_PACK_RELAY_URL_CHARS}, to stay within ${MAX_PACK_LINK_CHARS}.`);
  }
  if (!isValidPackId(id)) throw new PackError('link/bad-id', 'The pack id is not valid.');
  packKeyBytes(key);
  return `${relay}${PACK_PAGE_PATH}${id}#${key}`;
}

/**
 * Reads a pasted pack link (surrounding whitespace ignored). Throws PackError naming what is wrong:
 * `link/not-a-pack-link`, `link/bad-id`, `link/no-key` (the `#...` part is missing), `link/bad-key`
 * (the key is cut short or mangled).
 */
export function parsePackLink(text: string): PackLink {
  const link = text.trim();
  const at = link.lastIndexOf(PACK_PAGE_PATH);
  const relayUrl = at > 0 ? link.slice(0, at) : '';
  if (link.length > 2 * MAX_PACK_LINK_CHARS || at <= 0 || !RELAY_URL.test(relayUrl)) {
    throw new PackError('link/not-a-pack-link', `Expected a pack link like https://relay.example${PACK_PAGE_PATH}<id>#<key>.`);
  }
  const rest = link.slice(at + PACK_PAGE_PATH.length);
  const hash = rest.indexOf('#');
  const id = hash < 0 ? rest : rest.slice(0, hash);
  if (!isValidPackId(id)) {
    const cut = /^[A-Za-z0-9_-]*$/.test(id) && id.length < PACK_ID_CHARS;
    throw new PackError('link/bad-id', cut ? 'The link is cut short (its pack id is incomplete).' : 'The link has no valid pack id.');
  }
  const key = hash < 0 ? '' : rest.slice(hash + 1);
  if (key === '') throw new PackError('link/no-key', 'The link has no key (the part after "#" is missing); ask for the whole link.');
  try {
    packKeyBytes(key);
  } catch (error) {
    throw new PackError('link/bad-key', (error as PackError).message.replace('The pack key', "The link's key"), { cause: error });
  }
  return { relayUrl, id, key };
}

/** Where the relay serves a pack's sealed bytes: `<relay>/packs/<id>`. */
export function packFetchUrl(relayUrl: string, id: string): string {
  return `${relayHttpUrl(relayUrl)}${PACKS_PATH}/${id}`;
}
