import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCardObject } from '@troupe/shared/cards';
import {
  createPublisherSecret,
  openPack,
  PACK_HEADERS,
  publisherHash,
  readPackReceipt,
  readPackRelayError,
  sealPack,
  type Pack,
  type PackReceipt,
} from '@troupe/shared/packs';
import { createApp } from '../app.ts';
import { DEFAULT_PACK_LIMITS, type PackLimits } from '../limits.ts';
import { PackService } from '../packs/pack-service.ts';
import type { PackStore } from '../storage/pack-store.ts';
import { fakeSealedPack, testClock } from './packs.ts';

const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const HOUR = 60 * 60 * 1000;

/**
 * The pack routes through app.request() (no server), against one store adapter. Each test gets its
 * own app (own rate limits) and client address; the store is shared and every pack id is random.
 */
export function describePackRoutes(name: string, open: () => Promise<PackStore>, cleanup: (store: PackStore) => Promise<void> = async () => {}): void {
  describe(`pack routes on ${name}`, () => {
    let store: PackStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await cleanup(store);
      await store.close();
    });

    function relay(limits: Partial<PackLimits> = {}) {
      const clock = testClock();
      const all = { ...DEFAULT_PACK_LIMITS, ...limits };
      const app = createApp({ packs: { service: new PackService({ store, maxPackBytes: all.maxPackBytes, now: clock.now }), limits: all, clientIpHeader: 'x-client', now: clock.now } });
      const client = `198.51.100.${Math.floor(Math.random() * 250)}`;
      const request = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
        app.request(path, { ...init, headers: { 'x-client': client, ...init.headers } });
      const publish = async (body: Uint8Array = fakeSealedPack(), headers: Record<string, string> = {}) => {
        const secret = createPublisherSecret();
        const res = await request('/packs', { method: 'POST', body, headers: { [PACK_HEADERS.publisherHash]: await publisherHash(secret), ...headers } });
        expect(res.status, await res.clone().text()).toBe(201);
        const receipt = readPackReceipt(await res.json());
        if (!receipt) throw new Error('no receipt');
        return { secret, receipt, res };
      };
      return { app, clock, request, publish };
    }

    async function errorOf(res: Response): Promise<{ status: number; code: string }> {
      const body: unknown = await res.json();
      expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      return { status: res.status, code: readPackRelayError(res.status, body).code };
    }

    it('publishes a pack, serves its bytes with version and times, and answers HEAD and If-None-Match', async () => {
      const { request, publish, clock } = relay();
      const body = fakeSealedPack(4096);
      const { receipt, res } = await publish(body);
      expect(receipt).toEqual<PackReceipt>({ id: receipt.id, version: 1, size: body.length, createdAt: clock.value, updatedAt: clock.value, expiresAt: null });
      expect(receipt.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(res.headers.get('location')).toBe(`/packs/${receipt.id}`);

      const got = await request(`/packs/${receipt.id}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(got.headers.get(PACK_HEADERS.version)).toBe('1');
      expect(got.headers.get(PACK_HEADERS.created)).toBe(String(clock.value));
      expect(got.headers.get('etag')).toBe('"v1"');
      expect(got.headers.get('cache-control')).toBe('no-cache');
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(body))).toBe(true);

      const head = await request(`/packs/${receipt.id}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get(PACK_HEADERS.version)).toBe('1');
      expect((await head.arrayBuffer()).byteLength).toBe(0);

      expect((await request(`/packs/${receipt.id}`, { headers: { 'if-none-match': '"v1"' } })).status).toBe(304);
      expect((await request(`/packs/${receipt.id}`, { headers: { 'if-none-match': '"v0"' } })).status).toBe(200);
    });

    it('carries a real sealed pack that opens with the key from its link', async () => {
      const { request, publish } = relay();
      const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Mira', description: 'A cartographer.' } });
      if (parsed.kind !== 'character') throw new Error('expected a character');
      const pack: Pack = { format: 1, createdAt: 1, characters: [{ card: parsed.character, assets: [] }], lorebooks: [] };
      const sealed = await sealPack(pack);
      const { receipt } = await publish(sealed.ciphertext);
      const bytes = new Uint8Array(await (await request(`/packs/${receipt.id}`)).arrayBuffer());
      expect((await openPack(bytes, sealed.key)).pack.characters[0]!.card.data.name).toBe('Mira');
    });

    it('publishes a new version only with the publisher secret, under the same id', async () => {
      const { request, publish, clock } = relay();
      const { secret, receipt } = await publish();
      const next = fakeSealedPack(777);
      clock.advance(1000);
      expect(await errorOf(await request(`/packs/${receipt.id}`, { method: 'PUT', body: next }))).toEqual({ status: 401, code: 'pack/missing-secret' });
      const wrong = await request(`/packs/${receipt.id}`, { method: 'PUT', body: next, headers: { authorization: `Bearer ${createPublisherSecret()}` } });
      expect(await errorOf(wrong)).toEqual({ status: 403, code: 'pack/wrong-secret' });
      const hashAsSecret = await request(`/packs/${receipt.id}`, { method: 'PUT', body: next, headers: { authorization: `Bearer ${await publisherHash(secret)}` } });
      expect(await errorOf(hashAsSecret)).toEqual({ status: 403, code: 'pack/wrong-secret' });

      const put = await request(`/packs/${receipt.id}`, { method: 'PUT', body: next, headers: { authorization: `Bearer ${secret}` } });
      expect(put.status).toBe(200);
      expect(readPackReceipt(await put.json())).toMatchObject({ id: receipt.id, version: 2, size: next.length, createdAt: receipt.createdAt, updatedAt: clock.value });
      const got = await request(`/packs/${receipt.id}`);
      expect(got.headers.get(PACK_HEADERS.version)).toBe('2');
      expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(next))).toBe(true);
    });

    it('revokes with the publisher secret and then answers 410 revoked, not 404', async () => {
      const { request, publish } = relay();
      const { secret, receipt } = await publish();
      expect((await request(`/packs/${receipt.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${createPublisherSecret()}` } })).status).toBe(403);
      expect((await request(`/packs/${receipt.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${secret}` } })).status).toBe(204);
      expect(await errorOf(await request(`/packs/${receipt.id}`))).toEqual({ status: 410, code: 'pack/revoked' });
      expect((await request(`/packs/${receipt.id}`, { method: 'HEAD' })).status).toBe(410);
      const put = await request(`/packs/${receipt.id}`, { method: 'PUT', body: fakeSealedPack(), headers: { authorization: `Bearer ${secret}` } });
      expect(await errorOf(put)).toEqual({ status: 410, code: 'pack/revoked' });
      // Revoking again is not an error.
      expect((await request(`/packs/${receipt.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${secret}` } })).status).toBe(204);
    });

    it('expires a pack at its time with a code of its own, and lets the publisher move or clear the expiry', async () => {
      const { request, publish, clock } = relay();
      const { receipt } = await publish(fakeSealedPack(), { [PACK_HEADERS.expires]: String(clock.value + HOUR) });
      expect(receipt.expiresAt).toBe(clock.value + HOUR);
      expect((await request(`/packs/${receipt.id}`)).headers.get(PACK_HEADERS.expires)).toBe(String(clock.value + HOUR));
      clock.advance(HOUR);
      expect(await errorOf(await request(`/packs/${receipt.id}`))).toEqual({ status: 410, code: 'pack/expired' });

      const moving = await publish(fakeSealedPack(), { [PACK_HEADERS.expires]: String(clock.value + HOUR) });
      const auth = { authorization: `Bearer ${moving.secret}` };
      const cleared = await request(`/packs/${moving.receipt.id}`, { method: 'PUT', body: fakeSealedPack(), headers: { ...auth, [PACK_HEADERS.expires]: 'never' } });
      expect(readPackReceipt(await cleared.json())?.expiresAt).toBeNull();
      clock.advance(2 * HOUR);
      expect((await request(`/packs/${moving.receipt.id}`)).status).toBe(200);
    });

    it('refuses a bad expiry, a bad publisher hash, a bad id and a body that is not a sealed pack', async () => {
      const { request, clock } = relay();
      const hash = await publisherHash(createPublisherSecret());
      const post = (body: Uint8Array, headers: Record<string, string>) => request('/packs', { method: 'POST', body, headers });
      expect(await errorOf(await post(fakeSealedPack(), { [PACK_HEADERS.publisherHash]: hash, [PACK_HEADERS.expires]: String(clock.value - 1) }))).toEqual({ status: 400, code: 'pack/bad-expiry' });
      expect(await errorOf(await post(fakeSealedPack(), { [PACK_HEADERS.publisherHash]: hash, [PACK_HEADERS.expires]: 'tomorrow' }))).toEqual({ status: 400, code: 'pack/bad-expiry' });
      expect(await errorOf(await post(fakeSealedPack(), { [PACK_HEADERS.publisherHash]: hash, [PACK_HEADERS.expires]: 'never' }))).toEqual({ status: 400, code: 'pack/bad-expiry' });
      expect(await errorOf(await post(fakeSealedPack(), {}))).toEqual({ status: 400, code: 'pack/bad-publisher-hash' });
      expect(await errorOf(await post(fakeSealedPack(), { [PACK_HEADERS.publisherHash]: 'x'.repeat(43) }))).toEqual({ status: 400, code: 'pack/bad-publisher-hash' });
      expect(await errorOf(await post(new TextEncoder().encode('hello'), { [PACK_HEADERS.publisherHash]: hash }))).toEqual({ status: 400, code: 'pack/bad-envelope' });
      const cut = fakeSealedPack(100).subarray(0, 90);
      expect(await errorOf(await post(cut, { [PACK_HEADERS.publisherHash]: hash }))).toEqual({ status: 400, code: 'pack/bad-envelope' });
      expect(await errorOf(await request('/packs/not-an-id'))).toEqual({ status: 400, code: 'pack/bad-id' });
      expect(await errorOf(await request('/packs/AAECAwQFBgcICQoLDA0ODw'))).toEqual({ status: 404, code: 'pack/not-found' });
    });

    it('refuses an oversized upload with 413, by its declared length and by its real length', async () => {
      const { request } = relay({ maxPackBytes: 1024, uploadBytesBurst: 4096 });
      const hash = await publisherHash(createPublisherSecret());
      const big = fakeSealedPack(2048);
      const declared = await request('/packs', { method: 'POST', body: big, headers: { [PACK_HEADERS.publisherHash]: hash, 'content-length': String(big.length) } });
      expect(await errorOf(declared)).toEqual({ status: 413, code: 'pack/too-large' });
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < big.length; at += 256) controller.enqueue(big.subarray(at, at + 256));
          controller.close();
        },
      });
      const chunked = await request('/packs', { method: 'POST', body: streamed, headers: { [PACK_HEADERS.publisherHash]: hash }, duplex: 'half' } as RequestInit & { headers: Record<string, string> });
      expect(await errorOf(chunked)).toEqual({ status: 413, code: 'pack/too-large' });
    });

    it('rate-limits publishing, upload bytes and fetching per client, with Retry-After', async () => {
      const { app, request, publish } = relay({ publishBurst: 2, publishesPerHour: 2, fetchBurst: 3, fetchesPerMinute: 3 });
      const { receipt } = await publish();
      await publish();
      const third = await request('/packs', { method: 'POST', body: fakeSealedPack(), headers: { [PACK_HEADERS.publisherHash]: await publisherHash(createPublisherSecret()) } });
      expect(await errorOf(third)).toEqual({ status: 429, code: 'pack/rate-limited' });
      expect(Number(third.headers.get('retry-after'))).toBe(1800);
      for (let i = 0; i < 3; i++) expect((await request(`/packs/${receipt.id}`)).status).toBe(200);
      expect((await request(`/packs/${receipt.id}`)).status).toBe(429);
      // Another client has its own budget.
      expect((await app.request(`/packs/${receipt.id}`, { headers: { 'x-client': '203.0.113.9' } })).status).toBe(200);

      const bytes = relay({ maxPackBytes: 2048, uploadBytesBurst: 3000, uploadBytesPerHour: 3000 });
      await bytes.publish(fakeSealedPack(1500));
      const over = await bytes.request('/packs', { method: 'POST', body: fakeSealedPack(1500), headers: { [PACK_HEADERS.publisherHash]: await publisherHash(createPublisherSecret()) } });
      expect(await errorOf(over)).toEqual({ status: 429, code: 'pack/rate-limited' });
    });

    it('allows reads from any origin and writes from extension pages only', async () => {
      const { request, publish } = relay();
      const { receipt } = await publish();
      const read = await request(`/packs/${receipt.id}`, { headers: { origin: 'https://some.site' } });
      expect(read.headers.get('access-control-allow-origin')).toBe('*');
      expect(read.headers.get('access-control-expose-headers')).toContain(PACK_HEADERS.version);
      const preflight = (origin: string, method: string) =>
        request(`/packs/${receipt.id}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization' } });
      const fromSite = await preflight('https://some.site', 'PUT');
      expect(fromSite.headers.get('access-control-allow-origin')).toBeNull();
      const fromExtension = await preflight(EXTENSION, 'PUT');
      expect(fromExtension.status).toBe(204);
      expect(fromExtension.headers.get('access-control-allow-origin')).toBe(EXTENSION);
      expect(fromExtension.headers.get('access-control-allow-methods')).toContain('PUT');
      expect(fromExtension.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect((await preflight('https://some.site', 'GET')).headers.get('access-control-allow-origin')).toBe('*');
    });

    it('serves the link page without touching the store, never echoing the id into markup', async () => {
      const { request } = relay();
      const page = await request('/p/AAECAwQFBgcICQoLDA0ODw');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toMatch(/<script type="module" src="_\/page\.[A-Za-z0-9_-]{16}\.js"><\/script>/);
      expect(html).not.toContain('AAECAwQFBgcICQoLDA0ODw');
      expect((await request('/p/%3Cscript%3E')).status).toBe(404);
    });
  });
}
