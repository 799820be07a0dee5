/**
 * Talks to a user's running SillyTavern (1.x) over its HTTP API to list and fetch characters and World
 * Info, and to import cards into it. Pure fetch: no DOM, no chrome.*; the caller passes `fetch`.
 *
 * SillyTavern protects every POST with CSRF: `GET /csrf-token` gives a token bound to a session cookie,
 * and each POST must carry the cookie and `X-CSRF-Token`. Requests use `credentials: 'include'`, so in the
 * extension's background the browser's cookie jar carries the session; in Node wrap fetch with
 * `withCookieJar`. A page cannot do this (SillyTavern allows no CORS origin): only the background can.
 */
import type { FetchLike } from './cookie-jar.ts';
import { isAvatarFileName, isSafeFileName, normaliseBaseUrl as normaliseAddress, StAddressError } from '../../messaging/sillytavern-address.ts';
import { sniffRaster } from '@troupe/shared/bytes';
import { ShapeError, SillyTavernError } from './errors.ts';
import {
  ST_MAX_CARD_BYTES,
  ST_MAX_CHARACTER_JSON_BYTES,
  ST_MAX_CHARACTERS,
  ST_MAX_LIST_BYTES,
  ST_MAX_SMALL_BYTES,
  ST_MAX_WORLD_BYTES,
  ST_MAX_WORLDS,
  ST_REQUEST_TIMEOUT_MS,
} from './limits.ts';
import { readBodyLimited, utf8 } from '../http/read-body.ts';
import {
  readCharacterDetail,
  readCharacterList,
  readCsrfToken,
  readImportResult,
  readVersion,
  readWorld,
  readWorldList,
} from './validate.ts';
import type { StCharacterDetail, StCharacterSummary, StWorldInfoJson, StWorldSummary } from './validate.ts';

export interface SillyTavernClientOptions {
  /** Where SillyTavern runs, e.g. `http://127.0.0.1:8000` (a path prefix behind a proxy is kept). */
  baseUrl: string;
  /** The fetch to use: the background's `fetch`, or `withCookieJar(fetch)` in Node. Called unbound. */
  fetch: FetchLike;
  /** Per request, body included; ST_REQUEST_TIMEOUT_MS by default. */
  timeoutMs?: number;
  /** Aborts every request of this client (e.g. when the import page closes). */
  signal?: AbortSignal;
}

export interface StProbe {
  /** `1.19.0`, or null when its `/version` did not say. */
  version: string | null;
  agent: string | null;
}

export interface StImported {
  /** The new character's file name in SillyTavern (`<name>.png`): pass it to the other calls. */
  avatar: string;
}

export interface SillyTavernClient {
  /** The normalised address (no trailing slash). */
  readonly baseUrl: string;
  /** Checks that SillyTavern answers (and its CSRF flow works) and reports its version. */
  probe(): Promise<StProbe>;
  /** Every character, light: file name, name, tags, creator and spec; no card bodies. Malformed entries are skipped. */
  listCharacters(): Promise<StCharacterSummary[]>;
  /** The character's card file exactly as SillyTavern stores it (PNG with `chara`/`ccv3` tEXt chunks). */
  getCharacterCard(avatar: string): Promise<Uint8Array>;
  /** SillyTavern's JSON record of one character: its raw card JSON and its normalised `data`. */
  getCharacterJson(avatar: string): Promise<StCharacterDetail>;
  /** Every World Info file: `fileId` (for getWorld) and display name. */
  listWorlds(): Promise<StWorldSummary[]>;
  /** One World Info file as SillyTavern stores it: `{ entries: { [uid]: entry }, … }`. */
  getWorld(fileId: string): Promise<StWorldInfoJson>;
  /** Imports a card PNG into SillyTavern's library as a new character (it never overwrites one). */
  importCharacter(png: Uint8Array, fileName: string): Promise<StImported>;
}

/** Whether bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return sniffRaster(bytes) === 'image/png';
}

/**
 * `http://127.0.0.1:8000/` -> `http://127.0.0.1:8000`. Refuses anything but http(s), and URLs with
 * credentials, a query or a fragment (they would be silently dropped or leaked).
 */
export function normaliseBaseUrl(raw: string): string {
  try {
    return normaliseAddress(raw);
  } catch (error) {
    if (error instanceof StAddressError) throw new SillyTavernError('st/bad-url', error.message);
    throw error;
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** Creates a client for one SillyTavern. Nothing is sent until a method is called. */
export function createSillyTavernClient(options: SillyTavernClientOptions): SillyTavernClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const doFetch = options.fetch;
  const timeoutMs = options.timeoutMs ?? ST_REQUEST_TIMEOUT_MS;
  const where = `SillyTavern at ${baseUrl}`;

  const fail = (err: unknown, what: string, timeout: AbortSignal): SillyTavernError => {
    if (err instanceof SillyTavernError) return err;
    if (options.signal?.aborted) return new SillyTavernError('st/aborted', `Stopped asking ${where} for ${what}.`);
    if (timeout.aborted) return new SillyTavernError('st/timeout', `${where} did not answer ${what} within ${Math.round(timeoutMs / 1000)} s.`);
    const detail = err instanceof Error ? err.message : String(err);
    return new SillyTavernError('st/unreachable', `Could not reach SillyTavern at ${baseUrl}: is it running, and is this its address and port? (${detail})`);
  };

  /** One request; `handle` reads the response inside the same timeout and error mapping. */
  const request = async <T>(path: string, init: RequestInit, what: string, handle: (res: Response) => Promise<T>): Promise<T> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const res = await doFetch(`${baseUrl}${path}`, { ...init, signal, credentials: 'include', cache: 'no-store' });
      return await handle(res);
    } catch (err) {
      throw fail(err, what, timeout);
    }
  };

  const readBytes = async (res: Response, max: number, what: string): Promise<Uint8Array> => {
    const bytes = await readBodyLimited(res, max);
    if (bytes === null) throw new SillyTavernError('st/too-large', `${where} sent more than ${megabytes(max)} for ${what}; Troupe stops there.`);
    return bytes;
  };

  const readJson = async (res: Response, max: number, what: string): Promise<unknown> => {
    const text = utf8(await readBytes(res, max, what));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SillyTavernError('st/bad-response', `${where} sent something that is not JSON for ${what}.`, res.status);
    }
  };

  const shape = <T>(what: string, read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (err instanceof ShapeError) throw new SillyTavernError('st/bad-response', `${where} sent an unexpected answer for ${what}: ${err.message}.`);
      throw err;
    }
  };

  const statusError = (status: number, what: string, notFound?: string): SillyTavernError => {
    if (status === 401) {
      return new SillyTavernError('st/unauthorized', `${where} asks for a login (401): log in to it in a browser tab, or turn off its basic authentication.`, status);
    }
    if (status === 403) {
      return new SillyTavernError('st/forbidden', `${where} refused the request (403): is its whitelist on, or does it ask for a login?`, status);
    }
    if (status === 404 && notFound !== undefined) return new SillyTavernError('st/not-found', `${where} has no ${notFound}.`, status);
    return new SillyTavernError('st/http', `${where} failed ${what} (HTTP ${status}).`, status);
  };

  let tokenPromise: Promise<string> | undefined;
  const fetchToken = (): Promise<string> =>
    request('/csrf-token', { method: 'GET', headers: { accept: 'application/json' } }, 'a session token', async (res) => {
      const notSt = new SillyTavernError(
        'st/not-sillytavern',
        `Something answers at ${baseUrl}, but it is not SillyTavern (no session token at /csrf-token). Check the address and port.`,
        res.status,
      );
      if (res.status === 401 || res.status === 403) throw statusError(res.status, 'a session token');
      if (res.status === 404 || res.status === 405) throw notSt;
      if (!res.ok) throw statusError(res.status, 'a session token');
      const bytes = await readBodyLimited(res, ST_MAX_SMALL_BYTES);
      if (bytes === null) throw notSt;
      try {
        return readCsrfToken(JSON.parse(utf8(bytes)));
      } catch {
        throw notSt;
      }
    });
  const token = (): Promise<string> => {
    if (tokenPromise === undefined) {
      const pending = fetchToken();
      tokenPromise = pending;
      // A failed attempt must not stick: the user may start SillyTavern and retry.
      pending.catch(() => {
        if (tokenPromise === pending) tokenPromise = undefined;
      });
    }
    return tokenPromise;
  };

  /**
   * Whether SillyTavern wants a login (user accounts on): its GET routes then answer 403 too, while a
   * CSRF failure only hits POSTs. Used to explain a POST that keeps being refused.
   */
  const loginRequired = (): Promise<boolean> =>
    request('/version', { method: 'GET' }, 'its version', async (res) => {
      await res.body?.cancel().catch(() => undefined);
      return res.status === 401 || res.status === 403;
    });

  /**
   * A CSRF-protected POST. A 403 here means a stale session (SillyTavern restarted, the cookie expired) or
   * a login wall: the first is cured by one retry with a fresh token. (SillyTavern run with
   * NODE_ENV=production, as its start scripts do, answers a CSRF failure with a bare "Forbidden".)
   */
  const post = async <T>(
    path: string,
    body: { json: unknown } | { form: FormData },
    what: string,
    handle: (res: Response) => Promise<T>,
    notFound?: string,
  ): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const csrf = await token();
      const headers: Record<string, string> = { 'x-csrf-token': csrf, accept: 'application/json' };
      let payload: BodyInit;
      if ('json' in body) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body.json);
      } else {
        payload = body.form;
      }
      const outcome = await request(path, { method: 'POST', headers, body: payload }, what, async (res) => {
        if (res.status === 403) {
          const page = await readBodyLimited(res, ST_MAX_SMALL_BYTES);
          return { refused: true as const, mentionsCsrf: page !== null && /csrf/i.test(utf8(page)) };
        }
        if (!res.ok) throw statusError(res.status, what, notFound);
        return { refused: false as const, value: await handle(res) };
      });
      if (!outcome.refused) return outcome.value;
      if (attempt >= 2) {
        if (!outcome.mentionsCsrf && (await loginRequired())) {
          throw new SillyTavernError('st/unauthorized', `${where} asks for a login (403): log in to it in a browser tab first.`, 403);
        }
        throw new SillyTavernError(
          'st/csrf',
          `${where} refused its own session token (403): its session cookie is not reaching it. Are cookies blocked for this address?`,
          403,
        );
      }
      tokenPromise = undefined;
    }
  };

  const checkAvatar = (avatar: string): void => {
    if (!isAvatarFileName(avatar)) throw new SillyTavernError('st/bad-input', `${JSON.stringify(String(avatar).slice(0, 80))} is not a SillyTavern character file name (expected name.png).`);
  };

  const listWorlds = (): Promise<StWorldSummary[]> =>
    post('/api/worldinfo/list', { json: {} }, 'the World Info list', async (res) => {
      const json = await readJson(res, ST_MAX_LIST_BYTES, 'the World Info list');
      if (Array.isArray(json) && json.length > ST_MAX_WORLDS) {
        throw new SillyTavernError('st/too-large', `${where} has ${json.length} World Info files; Troupe lists at most ${ST_MAX_WORLDS}.`);
      }
      return shape('the World Info list', () => readWorldList(json));
    });

  return {
    baseUrl,

    async probe() {
      await token();
      return request('/version', { method: 'GET', headers: { accept: 'application/json' } }, 'its version', async (res) => {
        const bytes = res.ok ? await readBodyLimited(res, ST_MAX_SMALL_BYTES) : null;
        if (bytes === null) return { version: null, agent: null };
        try {
          return readVersion(JSON.parse(utf8(bytes)));
        } catch {
          return { version: null, agent: null };
        }
      });
    },

    listCharacters() {
      const what = 'the character list';
      return post('/api/characters/all', { json: {} }, what, async (res) => {
        const json = await readJson(res, ST_MAX_LIST_BYTES, what);
        if (Array.isArray(json) && json.length > ST_MAX_CHARACTERS) {
          throw new SillyTavernError('st/too-large', `${where} has ${json.length} characters; Troupe lists at most ${ST_MAX_CHARACTERS}.`);
        }
        return shape(what, () => readCharacterList(json).characters);
      });
    },

    async getCharacterCard(avatar) {
      checkAvatar(avatar);
      const what = `the card of ${avatar}`;
      return request(`/characters/${encodeURIComponent(avatar)}`, { method: 'GET', headers: { accept: 'image/png' } }, what, async (res) => {
        if (!res.ok) throw statusError(res.status, what, `character file ${avatar}`);
        const bytes = await readBytes(res, ST_MAX_CARD_BYTES, what);
        if (!isPng(bytes)) throw new SillyTavernError('st/bad-response', `${where} sent something that is not a PNG for ${what}.`);
        return bytes;
      });
    },

    async getCharacterJson(avatar) {
      checkAvatar(avatar);
      const what = `the character ${avatar}`;
      return post('/api/characters/get', { json: { avatar_url: avatar } }, what, async (res) => {
        const json = await readJson(res, ST_MAX_CHARACTER_JSON_BYTES, what);
        return shape(what, () => readCharacterDetail(json, avatar));
      }, `character file ${avatar}`);
    },

    listWorlds,

    async getWorld(fileId) {
      if (!isSafeFileName(fileId)) throw new SillyTavernError('st/bad-input', `${JSON.stringify(String(fileId).slice(0, 80))} is not a World Info name.`);
      const what = `the World Info "${fileId}"`;
      const world = await post('/api/worldinfo/get', { json: { name: fileId } }, what, async (res) => {
        const json = await readJson(res, ST_MAX_WORLD_BYTES, what);
        return shape(what, () => readWorld(json));
      });
      // SillyTavern answers a missing file with an empty book; tell the two apart only when it matters.
      if (Object.keys(world.entries).length === 0 && !(await listWorlds()).some((w) => w.fileId === fileId)) {
        throw new SillyTavernError('st/not-found', `${where} has no World Info named "${fileId}".`, 404);
      }
      return world;
    },

    async importCharacter(png, fileName) {
      if (!(png instanceof Uint8Array) || !isPng(png)) throw new SillyTavernError('st/bad-input', `${JSON.stringify(fileName)} is not a PNG card.`);
      if (png.byteLength > ST_MAX_CARD_BYTES) throw new SillyTavernError('st/bad-input', `${JSON.stringify(fileName)} is larger than ${megabytes(ST_MAX_CARD_BYTES)}.`);
      if (!isSafeFileName(fileName)) throw new SillyTavernError('st/bad-input', `${JSON.stringify(String(fileName).slice(0, 80))} is not a usable file name.`);
      const form = new FormData();
      // The field names are SillyTavern's: multer takes the file from `avatar`, the importer from `file_type`.
      form.append('avatar', new Blob([new Uint8Array(png)], { type: 'image/png' }), fileName);
      form.append('file_type', 'png');
      const what = `the import of ${fileName}`;
      const failed = (): SillyTavernError => new SillyTavernError('st/import-failed', `${where} could not import ${fileName}: it found no character card in it.`);
      try {
        return await post('/api/characters/import', { form }, what, async (res) => {
          const json = await readJson(res, ST_MAX_SMALL_BYTES, what);
          const result = shape(what, () => readImportResult(json));
          if (!result.ok) throw failed();
          return { avatar: `${result.fileName}.png` };
        });
      } catch (err) {
        // It answers 400 when the upload had no usable file.
        if (err instanceof SillyTavernError && err.code === 'st/http' && err.status === 400) throw failed();
        throw err;
      }
    },
  };
}
