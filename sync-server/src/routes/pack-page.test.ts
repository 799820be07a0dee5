import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import { createPackId, createPackKey, createPublisherSecret, PACK_HEADERS, publisherHash, readPackReceipt, sealPack, type Pack } from '@troupe/shared/packs';
import { createApp } from '../app.ts';
import { DEFAULT_PACK_LIMITS } from '../limits.ts';
import { loadPack, type Fetcher } from '../pack-page/load-pack.ts';
import { packCharacter } from '../pack-page/test-support.ts';
import { PackService } from '../packs/pack-service.ts';
import { SqlitePackStore } from '../storage/sqlite-pack-store.ts';
import { fakeSealedPack, packContentWithCard, sealUnchecked, testClock } from '../testing/packs.ts';
import { PACK_PAGE_CSP, packPageRoutes } from './pack-page.ts';

const dir = mkdtempSync(join(tmpdir(), 'troupe-pack-page-'));
let store: SqlitePackStore;
beforeAll(async () => {
  store = await SqlitePackStore.open(join(dir, 'packs.sqlite'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A relay app with packs on the test store and a settable clock; `fetcher` is what the page's fetch would reach. */
function relay() {
  const clock = testClock();
  const app = createApp({ packs: { service: new PackService({ store, maxPackBytes: DEFAULT_PACK_LIMITS.maxPackBytes, now: clock.now }), limits: DEFAULT_PACK_LIMITS, clientIpHeader: null, now: clock.now } });
  const fetcher: Fetcher = async (url, init) => app.request(url, init);
  const publish = async (body: Uint8Array, headers: Record<string, string> = {}) => {
    const secret = createPublisherSecret();
    const res = await app.request('/packs', { method: 'POST', body, headers: { [PACK_HEADERS.publisherHash]: await publisherHash(secret), ...headers } });
    const receipt = readPackReceipt(await res.json());
    if (!receipt) throw new Error(`no receipt (${res.status})`);
    return { id: receipt.id, secret };
  };
  return { app, clock, fetcher, publish };
}

function pack(): Pack {
  return { format: 1, createdAt: 1_700_000_000_000, characters: [packCharacter('Aria'), packCharacter('Bram')], lorebooks: [], personas: [] };
}

describe('GET /p/:id (the link page)', () => {
  it('serves the page with a strict policy, no referrer and its script, never echoing the id', async () => {
    const { app } = relay();
    const id = createPackId();
    const res = await app.request(`/p/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(PACK_PAGE_CSP);
    expect(PACK_PAGE_CSP).toContain("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'");
    expect(PACK_PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toContain(id);
    // Relative, so a relay behind a path prefix serves them too; no inline script or style.
    const script = /<script type="module" src="_\/(page\.[A-Za-z0-9_-]{16}\.js)"><\/script>/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="_\/(page\.[A-Za-z0-9_-]{16}\.css)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<style');

    const js = await app.request(`/p/_/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const code = await js.text();
    expect(code.length).toBeGreaterThan(10_000);
    // The page never turns strings into HTML or code (Trusted Types would refuse it anyway).
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) expect(code, sink).not.toContain(sink);
    const css = await app.request(`/p/_/${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a malformed id (the same page, which names the problem) and for unknown files', async () => {
    const { app } = relay();
    for (const path of ['/p/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/p/short', `/p/${createPackId()}x`]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(PACK_PAGE_CSP);
      expect(await res.text()).not.toMatch(/alert|short/);
    }
    expect((await app.request('/p/_/page.AAAAAAAAAAAAAAAA.js')).status).toBe(404);
    expect((await app.request('/p/_/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('serves a page without script, 503, when the page cannot be built', async () => {
    const onBuildError = vi.fn();
    const app = new Hono().route('/', packPageRoutes({ bundle: () => Promise.reject(new Error('no esbuild')), onBuildError }));
    const res = await app.request(`/p/${createPackId()}`);
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('<script');
    expect(onBuildError).toHaveBeenCalledOnce();
  });
});

describe("the page's loader against the relay's routes", () => {
  it('downloads and opens a pack with the key from the link', async () => {
    const { fetcher, publish } = relay();
    const sealed = await sealPack(pack());
    const { id } = await publish(sealed.ciphertext);
    const result = await loadPack(`/packs/${id}`, sealed.key, fetcher);
    if (!result.ok) throw new Error(result.problem.code);
    expect(result.version).toBe(1);
    expect(result.opened.pack.characters.map((c) => c.card.data.name)).toEqual(['Aria', 'Bram']);
    expect(result.opened.pack.characters[0]!.card).toStrictEqual(pack().characters[0]!.card);
  });

  it('names a wrong key, a tampered pack, a newer format and a hostile card', async () => {
    const { fetcher, publish } = relay();
    const sealed = await sealPack(pack());
    const { id } = await publish(sealed.ciphertext);
    expect(await loadPack(`/packs/${id}`, createPackKey(), fetcher)).toMatchObject({ ok: false, problem: { code: 'pack/cannot-decrypt' } });

    const tampered = Uint8Array.from(sealed.ciphertext);
    tampered[tampered.length - 100]! ^= 1;
    const { id: tamperedId } = await publish(tampered);
    expect(await loadPack(`/packs/${tamperedId}`, sealed.key, fetcher)).toMatchObject({ ok: false, problem: { code: 'pack/cannot-decrypt' } });

    const newer = fakeSealedPack();
    newer[4] = 2;
    const { id: newerId } = await publish(newer);
    expect(await loadPack(`/packs/${newerId}`, sealed.key, fetcher)).toMatchObject({ ok: false, problem: { code: 'pack/newer-format' } });

    const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
    const key = createPackKey();
    const { id: hostileId } = await publish(await sealUnchecked(packContentWithCard(`{"spec":"chara_card_v3","data":{"name":"x","extensions":${deep}}}`), key));
    expect(await loadPack(`/packs/${hostileId}`, key, fetcher)).toMatchObject({
      ok: false,
      problem: { code: 'pack/bad-card', item: 'characters[0]', cardCode: 'json/too-deep' },
    });
  });

  it('names a revoked pack, an expired one and an unknown id', async () => {
    const { app, clock, fetcher, publish } = relay();
    const sealed = await sealPack(pack());
    const { id, secret } = await publish(sealed.ciphertext);
    expect((await app.request(`/packs/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${secret}` } })).status).toBe(204);
    expect(await loadPack(`/packs/${id}`, sealed.key, fetcher)).toMatchObject({ ok: false, problem: { code: 'pack/revoked' } });

    const { id: expiring } = await publish(sealed.ciphertext, { [PACK_HEADERS.expires]: String(clock.value + 60_000) });
    expect((await loadPack(`/packs/${expiring}`, sealed.key, fetcher)).ok).toBe(true);
    clock.advance(60_001);
    expect(await loadPack(`/packs/${expiring}`, sealed.key, fetcher)).toMatchObject({ ok: false, problem: { code: 'pack/expired' } });

    expect(await loadPack(`/packs/${createPackId()}`, sealed.key, fetcher)).toMatchObject({ ok: false, problem: { code: 'pack/not-found' } });
  });

  it('names an unreachable relay, a cut-off or broken download, and an answer that is not a pack', async () => {
    const { fetcher, publish } = relay();
    const sealed = await sealPack(pack());
    const { id } = await publish(sealed.ciphertext);
    const key = sealed.key;
    const refused: Fetcher = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await loadPack(`/packs/${id}`, key, refused)).toMatchObject({ ok: false, problem: { code: 'page/unreachable' } });

    const cut: Fetcher = async (url, init) => {
      const whole = new Uint8Array(await (await fetcher(url, init)).arrayBuffer());
      return new Response(whole.subarray(0, whole.length - 10), { headers: { 'content-type': 'application/octet-stream' } });
    };
    expect(await loadPack(`/packs/${id}`, key, cut)).toMatchObject({ ok: false, problem: { code: 'pack/truncated' } });

    const broken: Fetcher = async () =>
      new Response(new ReadableStream({ pull: (controller) => controller.error(new TypeError('network error')) }), { headers: { 'content-type': 'application/octet-stream' } });
    expect(await loadPack(`/packs/${id}`, key, broken)).toMatchObject({ ok: false, problem: { code: 'page/download-broken' } });

    const portal: Fetcher = async () => new Response('<html>Sign in to the Wi-Fi</html>', { headers: { 'content-type': 'text/html' } });
    expect(await loadPack(`/packs/${id}`, key, portal)).toMatchObject({ ok: false, problem: { code: 'page/unexpected-answer' } });
    const proxy404: Fetcher = async () => new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } });
    expect(await loadPack(`/packs/${id}`, key, proxy404)).toMatchObject({ ok: false, problem: { code: 'pack/not-found' } });
  });
});
