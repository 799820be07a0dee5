import { encodeUtf8 } from 'lib0/string';
import { bytesToBase64Url } from '../bytes/index.ts';
import { pairingSecretBytes, type PairingSecret } from './secret.ts';
import { webCrypto, type HmacKey } from './webcrypto.ts';

/**
 * Per-document names and tokens derived from the pairing secret with HMAC-SHA256, so the relay sees
 * neither the secret nor document ids:
 *   roomName  = base64url(HMAC(secret, 'room:' + docId))
 *   joinToken = base64url(HMAC(secret, 'token:' + roomName))
 * The relay binds a hash of the first token it sees for a room and refuses any other, so a party
 * that learns a room name (e.g. from relay logs) still cannot join it.
 */
export class PairingKeys {
  private constructor(private readonly key: HmacKey) {}

  /** Imports the secret once as a non-extractable HMAC key; throws PairingError on a bad secret. */
  static async fromSecret(secret: PairingSecret): Promise<PairingKeys> {
    const key = await webCrypto().subtle.importKey('raw', pairingSecretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new PairingKeys(key);
  }

  /** The relay room for a document. */
  roomName(docId: string): Promise<string> {
    return this.mac('room:' + docId);
  }

  /** The join token for a room (offer it with `joinProtocols` from `@troupe/shared/protocol`). */
  joinToken(roomName: string): Promise<string> {
    return this.mac('token:' + roomName);
  }

  /** Room name and token for a document in one call. */
  async join(docId: string): Promise<{ roomName: string; token: string }> {
    const roomName = await this.roomName(docId);
    return { roomName, token: await this.joinToken(roomName) };
  }

  /**
   * A short code both devices can show to confirm they hold the same pairing ("K3QF-9ZTA").
   * Derived with its own label, so it reveals nothing about room names or tokens.
   */
  async fingerprint(): Promise<string> {
    const code = (await this.mac('fingerprint:v1')).slice(0, 8).toUpperCase().replace(/[-_]/g, 'X');
    return `${code.slice(0, 4)}-${code.slice(4)}`;
  }

  private async mac(label: string): Promise<string> {
    const signature = await webCrypto().subtle.sign('HMAC', this.key, encodeUtf8(label));
    return bytesToBase64Url(new Uint8Array(signature));
  }
}

/** One-off room name derivation; prefer PairingKeys when deriving many. */
export async function deriveRoomName(secret: PairingSecret, docId: string): Promise<string> {
  return (await PairingKeys.fromSecret(secret)).roomName(docId);
}

/** One-off join token derivation; prefer PairingKeys when deriving many. */
export async function deriveJoinToken(secret: PairingSecret, roomName: string): Promise<string> {
  return (await PairingKeys.fromSecret(secret)).joinToken(roomName);
}
