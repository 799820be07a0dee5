// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createSillyTavernClient, normaliseBaseUrl } from './client.ts';
import { withCookieJar } from './cookie-jar.ts';
import type { FetchLike } from './cookie-jar.ts';
import { SillyTavernError } from './errors.ts';
import type { SillyTavernErrorCode } from './errors.ts';

const BASE = 'http://127.0.0.1:8000';
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3);

interface Call {
  method: string;
  path: string;
  csrf: string | null;
  body: string | FormData | null;
}

type Route = (call: Call) => Response | Promise<Response>;

/**
 * A stand-in for SillyTavern's HTTP surface with its real session and CSRF rules: `/csrf-token` sets a
 * session cookie and a token bound to it; a POST without the cookie or with another token gets 403.
 */
function fakeSillyTavern(routes: Record<string, Route>, { production = false } = {}): { fetch: FetchLike; calls: Call[]; restart(): void } {
  let sessions = new Map<string, string>();
  let next = 0;
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof URL ? input.href : typeof input === 'string' ? input : input.url);
    const headers = new Headers(init?.headers);
    const method = init?.method ?? 'GET';
    const rawBody = init?.body;
    const body = typeof rawBody === 'string' || rawBody instanceof FormData ? rawBody : null;
    const call: Call = { method, path: url.pathname, csrf: headers.get('x-csrf-token'), body };
    calls.push(call);
    const session = /(?:^|; )session=([^;]+)/.exec(headers.get('cookie') ?? '')?.[1];
    if (url.pathname === '/csrf-token' && routes['/csrf-token'] === undefined) {
      const id = `s${++next}`;
      const token = `t${next}`.padEnd(64, '0');
      sessions.set(id, token);
      return new Response(JSON.stringify({ token }), { headers: { 'content-type': 'application/json', 'set-cookie': `session=${id}; path=/; httponly` } });
    }
    if (method === 'POST' && (session === undefined || sessions.get(session) !== call.csrf)) {
      // Express shows the error's message only outside production.
      const page = production ? '<pre>Forbidden</pre>' : '<pre>ForbiddenError: invalid csrf token</pre>';
      return new Response(page, { status: 403, headers: { 'content-type': 'text/html' } });
    }
    const route = routes[url.pathname];
    return route ? route(call) : new Response('Not Found', { status: 404 });
  };
  return { fetch, calls, restart: () => (sessions = new Map()) };
}

const json = (value: unknown, status = 200): Response => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

function clientFor(routes: Record<string, Route>, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  const server = fakeSillyTavern(routes);
  const client = createSillyTavernClient({ baseUrl: `${BASE}/`, fetch: withCookieJar(server.fetch), ...extra });
  return { server, client };
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: SillyTavernErrorCode; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SillyTavernError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a SillyTavernError');
}

const SERAPHINA = {
  name: 'Seraphina',
  avatar: 'default_Seraphina.png',
  spec: 'chara_card_v3',
  spec_version: '3.0',
  tags: [],
  description: 'x'.repeat(1000),
  json_data: '{"spec":"chara_card_v3"}',
  data: { name: 'Seraphina', creator: 'OtisAlejandro', tags: [' healer ', 'healer', 'fantasy', 7, ''], description: 'x'.repeat(1000) },
};

describe('normaliseBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000'],
    [' https://st.example/tavern// ', 'https://st.example/tavern'],
    ['http://localhost:8000', 'http://localhost:8000'],
  ])('%s -> %s', (raw, expected) => {
    expect(normaliseBaseUrl(raw)).toBe(expected);
  });

  it.each(['127.0.0.1:8000', 'ftp://h/', 'http://u:p@h/', 'http://h/?a=1', 'http://h/#x', 'nonsense'])('refuses %s', (raw) => {
    expect(() => normaliseBaseUrl(raw)).toThrow(SillyTavernError);
  });
});

describe('listCharacters', () => {
  it('returns light summaries and skips entries that are not characters', async () => {
    const { client } = clientFor({
      '/api/characters/all': () =>
        json([
          SERAPHINA,
          { date_added: 0, chat_size: 0 },
          { name: 'Evil', avatar: '../../etc/passwd.png' },
          { shallow: true, name: 'Lazy', avatar: 'Lazy.png', tags: ['a'], data: { name: 'Lazy', creator: '', tags: ['b'] } },
          { name: 'Old V1', avatar: 'old.png' },
        ]),
    });
    expect(await client.listCharacters()).toEqual([
      { avatar: 'default_Seraphina.png', name: 'Seraphina', tags: ['healer', 'fantasy'], creator: 'OtisAlejandro', spec: 'chara_card_v3', specVersion: '3.0' },
      { avatar: 'Lazy.png', name: 'Lazy', tags: ['b'], spec: null, specVersion: null },
      { avatar: 'old.png', name: 'Old V1', tags: [], spec: null, specVersion: null },
    ]);
  });

  it('refuses an answer that is not a list', async () => {
    const { client } = clientFor({ '/api/characters/all': () => json({ error: true }) });
    expect((await codeOf(client.listCharacters())).code).toBe('st/bad-response');
  });

  it('refuses an answer that is not JSON', async () => {
    const { client } = clientFor({ '/api/characters/all': () => new Response('<html>') });
    expect((await codeOf(client.listCharacters())).code).toBe('st/bad-response');
  });
});

describe('CSRF flow', () => {
  it('fetches one token and sends it with the session cookie on every POST', async () => {
    const { client, server } = clientFor({ '/api/characters/all': () => json([]), '/api/worldinfo/list': () => json([]) });
    await client.listCharacters();
    await client.listWorlds();
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /csrf-token', 'POST /api/characters/all', 'POST /api/worldinfo/list']);
    expect(server.calls[1]?.csrf).toMatch(/^t1/);
    expect(server.calls[2]?.csrf).toBe(server.calls[1]?.csrf);
  });

  it('gets a fresh token once when SillyTavern restarted and forgot the session', async () => {
    const { client, server } = clientFor({ '/api/worldinfo/list': () => json([{ file_id: 'Eldoria', name: 'Eldoria' }]) });
    await client.listWorlds();
    server.restart();
    expect(await client.listWorlds()).toEqual([{ fileId: 'Eldoria', name: 'Eldoria' }]);
    expect(server.calls.filter((c) => c.path === '/csrf-token')).toHaveLength(2);
  });

  it('reports st/csrf when the session cookie never reaches SillyTavern', async () => {
    const server = fakeSillyTavern({ '/api/worldinfo/list': () => json([]) });
    // No cookie jar: like a browser that blocks the cookie.
    const client = createSillyTavernClient({ baseUrl: BASE, fetch: server.fetch });
    const error = await codeOf(client.listWorlds());
    expect(error.code).toBe('st/csrf');
    expect(error.message).toContain('cookie');
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('maps a whitelist refusal of /csrf-token to st/forbidden with a hint', async () => {
    const { client } = clientFor({ '/csrf-token': () => new Response('<h1>Forbidden</h1>', { status: 403 }) });
    const error = await codeOf(client.listCharacters());
    expect(error).toEqual({ code: 'st/forbidden', message: `SillyTavern at ${BASE} refused the request (403): is its whitelist on, or does it ask for a login?` });
  });

  it('recognises a CSRF failure from SillyTavern in production mode (a bare "Forbidden")', async () => {
    const server = fakeSillyTavern({ '/api/worldinfo/list': () => json([]), '/version': () => json({ pkgVersion: '1.19.0' }) }, { production: true });
    const client = createSillyTavernClient({ baseUrl: BASE, fetch: server.fetch });
    expect((await codeOf(client.listWorlds())).code).toBe('st/csrf');
  });

  it('explains a login wall (user accounts on: GETs are refused too) as st/unauthorized', async () => {
    const forbidden = (): Response => new Response('Forbidden', { status: 403 });
    const { client, server } = clientFor({ '/api/characters/all': forbidden, '/version': forbidden });
    const error = await codeOf(client.listCharacters());
    expect(error.code).toBe('st/unauthorized');
    expect(error.message).toContain('log in');
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('maps basic authentication to st/unauthorized', async () => {
    const { client } = clientFor({ '/csrf-token': () => new Response('Unauthorized', { status: 401 }) });
    expect((await codeOf(client.probe())).code).toBe('st/unauthorized');
  });

  it('recognises a server that is not SillyTavern', async () => {
    for (const answer of [() => new Response('Not Found', { status: 404 }), () => new Response('<!doctype html><title>NextChat</title>'), () => json({ token: 'has spaces' })]) {
      const { client } = clientFor({ '/csrf-token': answer });
      expect((await codeOf(client.listWorlds())).code).toBe('st/not-sillytavern');
    }
  });

  it('tries again after a failed token request instead of remembering the failure', async () => {
    let up = false;
    const { client } = clientFor({
      '/csrf-token': () => (up ? json({ token: 'disabled' }) : new Response('starting', { status: 503 })),
      '/version': () => json({ pkgVersion: '1.19.0', agent: 'SillyTavern:1.19.0:Cohee#1207' }),
    });
    expect((await codeOf(client.probe())).code).toBe('st/http');
    up = true;
    expect(await client.probe()).toEqual({ version: '1.19.0', agent: 'SillyTavern:1.19.0:Cohee#1207' });
  });
});

describe('transport failures', () => {
  it('maps a refused connection to st/unreachable', async () => {
    const client = createSillyTavernClient({ baseUrl: BASE, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    const error = await codeOf(client.listCharacters());
    expect(error.code).toBe('st/unreachable');
    expect(error.message).toContain('is it running');
  });

  const hanging: FetchLike = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
    });

  it('maps a request that outlives the timeout to st/timeout', async () => {
    const client = createSillyTavernClient({ baseUrl: BASE, fetch: hanging, timeoutMs: 20 });
    expect((await codeOf(client.listWorlds())).code).toBe('st/timeout');
  });

  it('maps the caller\'s abort to st/aborted', async () => {
    const controller = new AbortController();
    const client = createSillyTavernClient({ baseUrl: BASE, fetch: hanging, signal: controller.signal });
    const pending = codeOf(client.listWorlds());
    controller.abort();
    expect((await pending).code).toBe('st/aborted');
  });
});

describe('getCharacterCard', () => {
  it('returns the PNG bytes of GET /characters/<file>, name encoded', async () => {
    const { client, server } = clientFor({ '/characters/My%20Card.png': () => new Response(PNG, { headers: { 'content-type': 'image/png' } }) });
    expect(await client.getCharacterCard('My Card.png')).toEqual(PNG);
    expect(server.calls.map((c) => c.path)).toEqual(['/characters/My%20Card.png']);
  });

  it('refuses file names that are not a plain .png name before sending anything', async () => {
    const { client, server } = clientFor({});
    for (const bad of ['../config.yaml', 'a/b.png', 'card.json', '', '..']) {
      expect((await codeOf(client.getCharacterCard(bad))).code).toBe('st/bad-input');
    }
    expect(server.calls).toHaveLength(0);
  });

  it('reports a missing file, a non-PNG answer and an oversized one', async () => {
    const { client } = clientFor({
      '/characters/html.png': () => new Response('<html>'),
      '/characters/huge.png': () => new Response(PNG, { headers: { 'content-length': String(1024 ** 3) } }),
    });
    expect((await codeOf(client.getCharacterCard('gone.png'))).code).toBe('st/not-found');
    expect((await codeOf(client.getCharacterCard('html.png'))).code).toBe('st/bad-response');
    expect((await codeOf(client.getCharacterCard('huge.png'))).code).toBe('st/too-large');
  });
});

describe('getCharacterJson', () => {
  it('returns the raw card JSON and SillyTavern\'s normalised data', async () => {
    const { client, server } = clientFor({ '/api/characters/get': () => json(SERAPHINA) });
    const detail = await client.getCharacterJson('default_Seraphina.png');
    expect(detail).toMatchObject({ avatar: 'default_Seraphina.png', name: 'Seraphina', spec: 'chara_card_v3', specVersion: '3.0', card: { spec: 'chara_card_v3' } });
    expect(detail.data?.creator).toBe('OtisAlejandro');
    expect(JSON.parse(String(server.calls.at(-1)?.body))).toEqual({ avatar_url: 'default_Seraphina.png' });
  });

  it('maps 404 to st/not-found and broken json_data to st/bad-response', async () => {
    const { client } = clientFor({ '/api/characters/get': (call) => (String(call.body).includes('gone') ? new Response('Not Found', { status: 404 }) : json({ name: 'X', json_data: '{oops' })) });
    expect((await codeOf(client.getCharacterJson('gone.png'))).code).toBe('st/not-found');
    expect((await codeOf(client.getCharacterJson('x.png'))).code).toBe('st/bad-response');
  });
});

describe('World Info', () => {
  const eldoria = { entries: { 0: { uid: 0, key: ['eldoria'], content: 'A forest.' }, 3: { uid: 3, key: ['glade'], content: 'A glade.' } }, name: 'Eldoria' };

  it('lists worlds by file id and fetches one with its entries keyed by uid', async () => {
    const { client, server } = clientFor({
      '/api/worldinfo/list': () => json([{ file_id: 'Eldoria', name: 'Eldoria', extensions: {} }, { file_id: '../x', name: 'bad' }, { name: 'no id' }]),
      '/api/worldinfo/get': () => json(eldoria),
    });
    expect(await client.listWorlds()).toEqual([{ fileId: 'Eldoria', name: 'Eldoria' }]);
    const world = await client.getWorld('Eldoria');
    expect(Object.keys(world.entries)).toEqual(['0', '3']);
    expect(world.entries['3']).toEqual({ uid: 3, key: ['glade'], content: 'A glade.' });
    expect(world.name).toBe('Eldoria');
    expect(JSON.parse(String(server.calls.at(-1)?.body))).toEqual({ name: 'Eldoria' });
  });

  it('tells a missing world from an empty one (SillyTavern answers both with no entries)', async () => {
    const { client } = clientFor({
      '/api/worldinfo/list': () => json([{ file_id: 'Empty', name: 'Empty' }]),
      '/api/worldinfo/get': () => json({ entries: {} }),
    });
    expect(await client.getWorld('Empty')).toEqual({ entries: {} });
    expect((await codeOf(client.getWorld('Missing'))).code).toBe('st/not-found');
  });

  it('refuses a world whose entries are not objects', async () => {
    const { client } = clientFor({ '/api/worldinfo/get': () => json({ entries: { 0: 'text' } }) });
    expect((await codeOf(client.getWorld('Eldoria'))).code).toBe('st/bad-response');
  });
});

describe('importCharacter', () => {
  it('uploads the PNG as multipart `avatar` with file_type png and returns the new file name', async () => {
    const { client, server } = clientFor({ '/api/characters/import': () => json({ file_name: 'Aria' }) });
    expect(await client.importCharacter(PNG, 'aria.png')).toEqual({ avatar: 'Aria.png' });
    const form = server.calls.at(-1)?.body;
    expect(form).toBeInstanceOf(FormData);
    if (!(form instanceof FormData)) return;
    expect(form.get('file_type')).toBe('png');
    const file = form.get('avatar');
    expect(file).toBeInstanceOf(Blob);
    if (!(file instanceof Blob)) return;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    expect((file as File).name).toBe('aria.png');
  });

  it('maps SillyTavern\'s refusal to st/import-failed', async () => {
    const { client } = clientFor({ '/api/characters/import': () => json({ error: true }) });
    expect((await codeOf(client.importCharacter(PNG, 'x.png'))).code).toBe('st/import-failed');
  });

  it('refuses bytes that are not a PNG before sending', async () => {
    const { client, server } = clientFor({});
    expect((await codeOf(client.importCharacter(Uint8Array.of(1, 2, 3), 'x.png'))).code).toBe('st/bad-input');
    expect((await codeOf(client.importCharacter(PNG, 'a/b.png'))).code).toBe('st/bad-input');
    expect(server.calls).toHaveLength(0);
  });
});
