// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../sillytavern/index.ts';
import { acknowledgeWithoutStoring } from './test-support.ts';
import { ST_IMPORT_MAX_CHARACTERS, ST_MAX_THUMBNAIL_BYTES } from '../../messaging/limits/st-import.ts';
import { createStImportService, type StImportService } from './service.ts';
import { cardPng, fixtureBytes, fixtureJson, recordingStore } from './test-support.ts';
import type { StImportStatus, StoreImportItems } from '../../messaging/st-import-types.ts';

const BASE = 'http://127.0.0.1:8000';
const PNG_1PX = fixtureBytes('synthetic-v3-ccv3-only.png');

const json = (value: unknown): Response => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });

/** SillyTavern's HTTP surface as far as the import uses it (CSRF tokens are accepted, not checked: client.test.ts does that). */
function fakeSillyTavern(): { fetch: FetchLike; paths: string[] } {
  const paths: string[] = [];
  const cards: Record<string, Uint8Array> = { 'default_Seraphina.png': fixtureBytes('st-default_Seraphina.png'), 'zed.png': cardPng('zed'), 'Ann.png': cardPng('Ann', 'Nowhere') };
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof URL ? input.href : typeof input === 'string' ? input : input.url);
    paths.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    switch (url.pathname) {
      case '/csrf-token': return json({ token: 'tok' });
      case '/version': return json({ pkgVersion: '1.19.0', agent: 'SillyTavern:1.19.0' });
      case '/api/characters/all':
        return json([
          { name: 'zed', avatar: 'zed.png', data: { name: 'zed', tags: [], creator: '' } },
          { name: 'Seraphina', avatar: 'default_Seraphina.png', data: { name: 'Seraphina', tags: ['fantasy'], creator: 'OtisAlejandro' } },
          { name: 'Ann', avatar: 'Ann.png', data: { name: 'Ann', tags: [] } },
        ]);
      case '/api/worldinfo/get': return json(body['name'] === 'Eldoria' ? fixtureJson('st-Eldoria.worldinfo.json') : { entries: {} });
      case '/api/worldinfo/list': return json([{ file_id: 'Eldoria', name: 'Eldoria' }]);
      case '/thumbnail': {
        const file = url.searchParams.get('file');
        if (file === 'default_Seraphina.png') return new Response(PNG_1PX, { headers: { 'content-type': 'image/png' } });
        if (file === 'zed.png') return new Response('<svg xmlns="http://www.w3.org/2000/svg"/>', { headers: { 'content-type': 'image/svg+xml' } });
        if (file === 'Ann.png') return new Response(new Uint8Array(ST_MAX_THUMBNAIL_BYTES + 1).fill(0xff));
        return new Response('Not Found', { status: 404 });
      }
    }
    const card = url.pathname.startsWith('/characters/') ? cards[decodeURIComponent(url.pathname.slice('/characters/'.length))] : undefined;
    return card ? new Response(Uint8Array.from(card), { headers: { 'content-type': 'image/png' } }) : new Response('Not Found', { status: 404 });
  };
  return { fetch, paths };
}

function service(options: { store?: StoreImportItems; allowed?: boolean } = {}): { st: StImportService; paths: string[]; asked: string[] } {
  const { fetch, paths } = fakeSillyTavern();
  const asked: string[] = [];
  const st = createStImportService({
    store: options.store ?? acknowledgeWithoutStoring,
    fetch,
    canReach: async (pattern) => {
      asked.push(pattern);
      return options.allowed ?? true;
    },
  });
  return { st, paths, asked };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected an error');
}

async function finished(st: StImportService, jobId: string): Promise<StImportStatus> {
  for (;;) {
    const status = st.importStatus(jobId, 0);
    if (!status.running) return status;
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('createStImportService', () => {
  it('connects: checks the permission for the origin, then lists characters sorted by name', async () => {
    const { st, asked } = service();
    const connection = await st.connect(`${BASE}/`);
    expect(asked).toEqual(['http://127.0.0.1/*']);
    expect(connection).toEqual({
      url: BASE,
      version: '1.19.0',
      characters: [
        { avatar: 'Ann.png', name: 'Ann', tags: [], creator: null },
        { avatar: 'default_Seraphina.png', name: 'Seraphina', tags: ['fantasy'], creator: 'OtisAlejandro' },
        { avatar: 'zed.png', name: 'zed', tags: [], creator: null },
      ],
    });
  });

  it('sends nothing without the host permission', async () => {
    const { st, paths } = service({ allowed: false });
    expect(await codeOf(st.connect(BASE))).toBe('st-import/permission');
    expect(await codeOf(st.thumbnails(BASE, ['zed.png']))).toBe('st-import/permission');
    expect(await codeOf(st.startImport(BASE, [{ avatar: 'zed.png', name: 'zed' }]))).toBe('st-import/permission');
    expect(paths).toEqual([]);
  });

  it('gives thumbnails as data URLs, and null for a missing, non-raster or oversized one', async () => {
    const { st } = service();
    const thumbs = await st.thumbnails(BASE, ['default_Seraphina.png', 'zed.png', 'Ann.png', 'gone.png']);
    expect(thumbs.map((t) => t.avatar)).toEqual(['default_Seraphina.png', 'zed.png', 'Ann.png', 'gone.png']);
    expect(thumbs[0]?.dataUrl).toBe(`data:image/png;base64,${Buffer.from(PNG_1PX).toString('base64')}`);
    expect(thumbs.slice(1).map((t) => t.dataUrl)).toEqual([null, null, null]);
  });

  it('imports the chosen characters with their linked worlds and reports each', async () => {
    const { store, calls } = recordingStore();
    const { st } = service({ store });
    const { jobId } = await st.startImport(BASE, [
      { avatar: 'default_Seraphina.png', name: 'Seraphina' },
      { avatar: 'Ann.png', name: 'Ann' },
      { avatar: 'Ann.png', name: 'Ann' },
      { avatar: 'missing.png', name: 'Missing' },
    ]);
    const status = await finished(st, jobId);
    expect(status).toMatchObject({ phase: 'done', charactersDone: 3, charactersTotal: 3, error: null });
    expect(status.results.map((r) => `${r.label}:${r.ok ? 'imported' : r.code}`)).toEqual(['Eldoria:imported', 'Nowhere:st/not-found', 'Seraphina:imported', 'Ann:imported', 'Missing:st/not-found']);
    expect(calls.flat().map((i) => `${i.kind}:${i.sourceName}`)).toEqual(['lorebook:Eldoria', 'character:default_Seraphina.png', 'character:Ann.png']);
  });

  it('the placeholder store answers with the names the files give', async () => {
    const { st } = service();
    const { jobId } = await st.startImport(BASE, [{ avatar: 'default_Seraphina.png', name: 'Seraphina' }]);
    const { results } = await finished(st, jobId);
    expect(results).toMatchObject([
      { kind: 'lorebook', label: 'Eldoria', ok: true, name: 'Eldoria' },
      { kind: 'character', label: 'Seraphina', ok: true, name: 'Seraphina', linkedLorebook: 'Eldoria' },
    ]);
  });

  it('passes SillyTavern\'s refusals on with its readable message (whitelist, CSRF)', async () => {
    const refusing = (csrfStatus: number): FetchLike => async (input) => {
      const path = new URL(String(input)).pathname;
      if (path === '/csrf-token') return csrfStatus === 200 ? json({ token: 'tok' }) : new Response('<h1>Forbidden</h1>', { status: csrfStatus });
      if (path === '/version') return json({ pkgVersion: '1.19.0' });
      return new Response('<pre>ForbiddenError: invalid csrf token</pre>', { status: 403 });
    };
    const whitelisted = createStImportService({ store: acknowledgeWithoutStoring, fetch: refusing(403), canReach: async () => true });
    await expect(whitelisted.connect(BASE)).rejects.toMatchObject({ code: 'st/forbidden', message: `SillyTavern at ${BASE} refused the request (403): is its whitelist on, or does it ask for a login?` });
    const cookieless = createStImportService({ store: acknowledgeWithoutStoring, fetch: refusing(200), canReach: async () => true });
    await expect(cookieless.connect(BASE)).rejects.toMatchObject({ code: 'st/csrf', message: expect.stringContaining('session cookie is not reaching it') });
  });

  it('refuses more characters than one import takes', async () => {
    const { st } = service();
    const many = Array.from({ length: ST_IMPORT_MAX_CHARACTERS + 1 }, (_, i) => ({ avatar: `c${i}.png`, name: `C${i}` }));
    expect(await codeOf(st.startImport(BASE, many))).toBe('st-import/too-many');
  });
});
