import { encodeUtf8 } from 'lib0/string';
import { base64UrlToBytes, bytesToBase64Url } from '../bytes/index.ts';
import { PairingError } from './errors.ts';
import { MAX_RELAY_URL_CHARS } from './limits.ts';
import { pairingSecretBytes, type PairingSecret } from './secret.ts';

/**
 * Share-link format, version 1: `troupe-pair:v1:<secret>` or `troupe-pair:v1:<secret>:<relay>`, where
 * `<secret>` is the base64url pairing secret and `<relay>` the base64url of the relay's ws(s) URL
 * (so the second device joins the same relay). Only base64url and `:` appear, which keeps the link
 * one token for copy-paste and compact in a QR code. The link is the secret: show it only to its owner.
 */
export const PAIR_LINK_SCHEME = 'troupe-pair';
export const PAIR_LINK_VERSION = 1;

/** What a share link carries. */
export interface PairLink {
  version: typeof PAIR_LINK_VERSION;
  secret: PairingSecret;
  /** The relay the first device uses, when it chose to share it. */
  relayUrl?: string;
}

/** Builds the share link shown (as text and QR code) on the first device. */
export function formatPairLink(link: { secret: PairingSecret; relayUrl?: string }): string {
  pairingSecretBytes(link.secret);
  const base = `${PAIR_LINK_SCHEME}:v${PAIR_LINK_VERSION}:${link.secret}`;
  if (link.relayUrl === undefined) return base;
  checkRelayUrl(link.relayUrl);
  return `${base}:${bytesToBase64Url(encodeUtf8(link.relayUrl))}`;
}

/**
 * Reads a pasted or scanned share link (surrounding whitespace is ignored). Throws PairingError:
 * `not-a-link`, `unsupported-version` (made by a newer Troupe), `bad-secret` or `bad-relay-url`.
 */
export function parsePairLink(text: string): PairLink {
  const parts = text.trim().split(':');
  if (parts[0] !== PAIR_LINK_SCHEME || parts.length < 3) {
    throw new PairingError('pairing/not-a-link', `Expected a link starting with "${PAIR_LINK_SCHEME}:".`);
  }
  const version = parts[1] ?? '';
  if (version !== `v${PAIR_LINK_VERSION}`) {
    throw new PairingError('pairing/unsupported-version', `This link is format "${version}"; this version of Troupe reads v${PAIR_LINK_VERSION}.`);
  }
  if (parts.length > 4) throw new PairingError('pairing/not-a-link', 'The link has unexpected extra parts.');
  const secret = parts[2] ?? '';
  pairingSecretBytes(secret);
  const encodedRelay = parts[3];
  if (encodedRelay === undefined) return { version: PAIR_LINK_VERSION, secret };
  const relayBytes = base64UrlToBytes(encodedRelay);
  const relayUrl = relayBytes ? decodeUtf8Strict(relayBytes) : null;
  if (relayUrl === null) throw new PairingError('pairing/bad-relay-url', 'The relay part of the link is not readable.');
  checkRelayUrl(relayUrl);
  return { version: PAIR_LINK_VERSION, secret, relayUrl };
}

function checkRelayUrl(url: string): void {
  if (url.length > MAX_RELAY_URL_CHARS || !/^wss?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) {
    throw new PairingError('pairing/bad-relay-url', 'The relay address must be a ws:// or wss:// URL without query or fragment.');
  }
}

function decodeUtf8Strict(bytes: Uint8Array): string | null {
  let text = '';
  for (const byte of bytes) text += '%' + byte.toString(16).padStart(2, '0');
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
