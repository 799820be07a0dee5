/**
 * The relay's pack routes (@troupe/shared/packs wire.ts) as the background calls them: upload, new
 * version, revoke, download, and the version alone. Every answer is checked; every failure is a
 * PacksError with the relay's code (revoked, expired, too large, rate limited...) or the extension's
 * (unreachable, timeout, an answer that is not the relay's).
 */
import {
  MAX_SEALED_PACK_BYTES,
  PACK_EXPIRES_NEVER,
  PACK_HEADERS,
  PACKS_PATH,
  readPackReceipt,
  readPackRelayError,
  type PackReceipt,
} from '@troupe/shared/packs';
import { PACK_RELAY_TIMEOUT_MS } from '../../messaging/limits/packs.ts';
import { PacksError } from './errors.ts';
import { readBodyLimited } from '../http/read-body.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What the relay says about a pack's current version (GET and HEAD headers). */
export interface PackVersionInfo {
  version: number;
  updatedAt: number;
  expiresAt: number | null;
}

/** New expiry on PUT: a time, `never` to clear it, or undefined to keep it. */
export type ExpiryChange = number | typeof PACK_EXPIRES_NEVER | undefined;

export class PackRelayClient {
  constructor(private readonly fetch: Fetch, private readonly timeoutMs = PACK_RELAY_TIMEOUT_MS) {}

  /** POST /packs: a new pack; its id comes from the relay. */
  async publish(relayUrl: string, sealed: Uint8Array, publisherHash: string, expiresAt: number | null): Promise<PackReceipt> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', [PACK_HEADERS.publisherHash]: publisherHash };
    if (expiresAt !== null) headers[PACK_HEADERS.expires] = String(expiresAt);
    return receipt(await this.request(`${relayUrl}${PACKS_PATH}`, { method: 'POST', headers, body: body(sealed) }));
  }

  /** PUT /packs/:id: a new version behind the same link. */
  async replace(relayUrl: string, id: string, secret: string, sealed: Uint8Array, expires: ExpiryChange): Promise<PackReceipt> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${secret}` };
    if (expires !== undefined) headers[PACK_HEADERS.expires] = String(expires);
    return receipt(await this.request(`${relayUrl}${PACKS_PATH}/${id}`, { method: 'PUT', headers, body: body(sealed) }));
  }

  /** DELETE /packs/:id: revoked for good (the link then says so). */
  async revoke(relayUrl: string, id: string, secret: string): Promise<void> {
    await this.request(`${relayUrl}${PACKS_PATH}/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${secret}` } });
  }

  /** GET /packs/:id: the sealed bytes (at most MAX_SEALED_PACK_BYTES) and the version they are. */
  async download(relayUrl: string, id: string): Promise<{ sealed: Uint8Array; info: PackVersionInfo }> {
    const response = await this.request(`${relayUrl}${PACKS_PATH}/${id}`, { method: 'GET' });
    const info = versionInfo(response);
    return { sealed: await boundedBytes(response), info };
  }

  /**
   * HEAD /packs/:id: the current version without the bytes. A HEAD error has no body, so a 410 is
   * asked again with GET, whose small JSON error says revoked or expired.
   */
  async version(relayUrl: string, id: string): Promise<PackVersionInfo> {
    const url = `${relayUrl}${PACKS_PATH}/${id}`;
    const head = await this.send(url, { method: 'HEAD' });
    if (head.ok) return versionInfo(head);
    if (head.status === 410) await this.request(url, { method: 'GET' });
    throw await relayFailure(head);
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const response = await this.send(url, init);
    if (!response.ok) throw await relayFailure(response);
    return response;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(url, { ...init, cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      if ((error as { name?: unknown }).name === 'TimeoutError') throw new PacksError('packs/relay-timeout');
      throw new PacksError('packs/relay-unreachable', relayOf(url));
    }
  }
}

function body(sealed: Uint8Array): Blob {
  return new Blob([sealed as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
}

function relayOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

async function receipt(response: Response): Promise<PackReceipt> {
  const read = readPackReceipt(await response.json().catch(() => null));
  if (!read) throw new PacksError('packs/relay-answer');
  return read;
}

/** The relay's error answer as a PacksError (its code, or one named by the status). */
async function relayFailure(response: Response): Promise<PacksError> {
  const text = response.status === 204 || response.status === 304 ? '' : await response.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text.slice(0, 64 * 1024)) : null;
  } catch {
    json = null;
  }
  const error = readPackRelayError(response.status, json);
  return new PacksError(error.code, error.code === 'pack/internal' ? error.message : undefined);
}

function versionInfo(response: Response): PackVersionInfo {
  const number = (name: string): number | null => {
    const raw = response.headers.get(name);
    return raw !== null && /^\d{1,16}$/.test(raw) ? Number(raw) : null;
  };
  const version = number(PACK_HEADERS.version);
  const updatedAt = number(PACK_HEADERS.updated);
  if (version === null || version < 1 || updatedAt === null) throw new PacksError('packs/relay-answer');
  return { version, updatedAt, expiresAt: number(PACK_HEADERS.expires) };
}

/** The body, refused past MAX_SEALED_PACK_BYTES (by its length header or while reading); a read that breaks off is a truncated pack. */
async function boundedBytes(response: Response): Promise<Uint8Array> {
  let bytes: Uint8Array | null;
  try {
    bytes = await readBodyLimited(response, MAX_SEALED_PACK_BYTES);
  } catch {
    throw new PacksError('pack/truncated');
  }
  if (bytes === null) throw new PacksError('pack/too-large');
  return bytes;
}
