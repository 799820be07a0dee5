import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PACK_EXPIRES_NEVER, PACK_HEADERS, PACKS_PATH, type PackReceipt } from '@troupe/shared/packs';
import type { PackLimits } from '../limits.ts';
import { ClientRateLimiter } from '../packs/client-rate-limiter.ts';
import { PackRelayFailure } from '../packs/errors.ts';
import type { PackService } from '../packs/pack-service.ts';
import type { PackMeta } from '../storage/pack-store.ts';
import { clientAddress } from './client-address.ts';
import { packPageRoutes } from './pack-page.ts';
import { readBody } from './read-body.ts';

export interface PackRoutesOptions {
  service: PackService;
  limits: PackLimits;
  /** Header carrying the client's address behind a proxy (config TROUPE_CLIENT_IP_HEADER), or null. */
  clientIpHeader: string | null;
  now?: () => number;
}

/** Origins of extension pages (the import and options pages call these routes from there). */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9-]{1,64}$/;
const READ_METHODS = new Set(['GET', 'HEAD']);
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/**
 * The pack routes (see `@troupe/shared/packs` wire.ts for the contract): POST /packs, GET|HEAD
 * /packs/:id, PUT /packs/:id, DELETE /packs/:id, and the link's page GET /p/:id. Transport only:
 * rate limits per client, body size, headers in and out; PackService decides everything else.
 * Errors answer `{ error: { code, message } }` with the code's status.
 */
export function packRoutes(options: PackRoutesOptions): Hono {
  const { service, limits, clientIpHeader } = options;
  const now = options.now ?? Date.now;
  const publishes = new ClientRateLimiter({ perInterval: limits.publishesPerHour, intervalMs: HOUR_MS, burst: limits.publishBurst }, limits.maxTrackedClients, now);
  const uploadBytes = new ClientRateLimiter({ perInterval: limits.uploadBytesPerHour, intervalMs: HOUR_MS, burst: limits.uploadBytesBurst }, limits.maxTrackedClients, now);
  const fetches = new ClientRateLimiter({ perInterval: limits.fetchesPerMinute, intervalMs: MINUTE_MS, burst: limits.fetchBurst }, limits.maxTrackedClients, now);

  const take = (c: Context, limiter: ClientRateLimiter, cost = 1): void => {
    const outcome = limiter.take(clientAddress(c, clientIpHeader), cost);
    if (!outcome.ok) {
      throw new PackRelayFailure('pack/rate-limited', 'Too many pack requests from this address; try again later.', outcome.retryAfterSeconds);
    }
  };
  const body = async (c: Context): Promise<Uint8Array> => {
    const data = await readBody(c.req.raw, limits.maxPackBytes);
    if (data === 'too-large') throw new PackRelayFailure('pack/too-large', `Packs up to ${limits.maxPackBytes} bytes are accepted.`);
    take(c, uploadBytes, data.length);
    return data;
  };

  const app = new Hono();
  const withCors = cors({
    // Anyone may read a pack (it is ciphertext; the key is in the link's fragment); only extension
    // pages may write from a browser. Authorisation is the publisher secret, never a cookie, so
    // CORS here guards against nothing but drive-by uploads from web pages.
    origin: (origin, c) => (EXTENSION_ORIGIN.test(origin) ? origin : READ_METHODS.has(requestedMethod(c)) ? '*' : null),
    allowMethods: (origin) => (EXTENSION_ORIGIN.test(origin) ? ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] : ['GET', 'HEAD']),
    allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match', PACK_HEADERS.publisherHash, PACK_HEADERS.expires],
    exposeHeaders: ['ETag', 'Location', 'Retry-After', PACK_HEADERS.version, PACK_HEADERS.created, PACK_HEADERS.updated, PACK_HEADERS.expires],
    maxAge: 600,
  });
  app.use(PACKS_PATH, withCors);
  app.use(`${PACKS_PATH}/*`, withCors);

  app.post(PACKS_PATH, (c) =>
    answer(c, async () => {
      take(c, publishes);
      const hash = c.req.header(PACK_HEADERS.publisherHash) ?? '';
      const expiresAt = expiryHeader(c, false);
      const meta = await service.publish({ data: await body(c), publisherHash: hash, expiresAt: expiresAt ?? null });
      c.header('Location', `${PACKS_PATH}/${meta.id}`);
      return c.json(receipt(meta), 201);
    }),
  );

  // Hono answers HEAD through the GET route (and drops the body); c.req.method stays HEAD.
  app.get(`${PACKS_PATH}/:id`, (c) =>
    answer(c, async () => {
      take(c, fetches);
      const id = c.req.param('id');
      const conditional = c.req.header('if-none-match');
      if (c.req.method === 'HEAD' || conditional !== undefined) {
        const meta = await service.describe(id);
        metaHeaders(c, meta);
        if (conditional !== undefined && matchesEtag(conditional, etag(meta))) return c.body(null, 304);
        if (c.req.method === 'HEAD') return c.body(null, 200);
      }
      const { meta, data } = await service.fetch(id);
      metaHeaders(c, meta);
      c.header('Content-Type', 'application/octet-stream');
      c.header('Content-Length', String(data.length));
      return c.body(data as Uint8Array<ArrayBuffer>, 200);
    }),
  );

  app.put(`${PACKS_PATH}/:id`, (c) =>
    answer(c, async () => {
      take(c, publishes);
      const secret = bearer(c);
      const expiresAt = expiryHeader(c, true);
      const next = { data: await body(c), ...(expiresAt === undefined ? {} : { expiresAt }) };
      return c.json(receipt(await service.update(c.req.param('id'), secret, next)), 200);
    }),
  );

  app.delete(`${PACKS_PATH}/:id`, (c) =>
    answer(c, async () => {
      take(c, publishes);
      await service.revoke(c.req.param('id'), bearer(c));
      return c.body(null, 204);
    }),
  );

  app.route('/', packPageRoutes());
  return app;
}

/** Runs a handler; a PackRelayFailure (or any other error) becomes the JSON error answer. */
async function answer(c: Context, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof PackRelayFailure) {
      if (error.retryAfterSeconds !== undefined && Number.isFinite(error.retryAfterSeconds)) c.header('Retry-After', String(error.retryAfterSeconds));
      return c.json({ error: { code: error.code, message: error.message } }, error.status as ContentfulStatusCode);
    }
    console.error(error);
    return c.json({ error: { code: 'pack/internal', message: 'Internal error' } }, 500);
  }
}

/** The method a request is, or asks to be in a CORS preflight. */
function requestedMethod(c: Context): string {
  return c.req.method === 'OPTIONS' ? (c.req.header('access-control-request-method') ?? '').toUpperCase() : c.req.method;
}

/** The publisher secret from `Authorization: Bearer <secret>`. */
function bearer(c: Context): string {
  const secret = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (!secret) throw new PackRelayFailure('pack/missing-secret', 'Send the publisher secret as a Bearer token.');
  return secret;
}

/**
 * Troupe-Pack-Expires: undefined when absent; a Unix ms time; or, on PUT only, `never` (null) to
 * clear an expiry. PackService checks that a time lies in the future.
 */
function expiryHeader(c: Context, allowNever: boolean): number | null | undefined {
  const raw = c.req.header(PACK_HEADERS.expires)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (allowNever && raw.toLowerCase() === PACK_EXPIRES_NEVER) return null;
  if (!/^\d{1,16}$/.test(raw)) {
    throw new PackRelayFailure('pack/bad-expiry', `${PACK_HEADERS.expires} must be a Unix time in milliseconds${allowNever ? ` or "${PACK_EXPIRES_NEVER}"` : ''}.`);
  }
  return Number(raw);
}

function etag(meta: PackMeta): string {
  return `"v${meta.version}"`;
}

function matchesEtag(header: string, tag: string): boolean {
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value === tag || value === `W/${tag}`;
  });
}

function metaHeaders(c: Context, meta: PackMeta): void {
  c.header('ETag', etag(meta));
  // Revalidate on every use: a revoked pack must stop opening, even from a cache.
  c.header('Cache-Control', 'no-cache');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header(PACK_HEADERS.version, String(meta.version));
  c.header(PACK_HEADERS.created, String(meta.createdAt));
  c.header(PACK_HEADERS.updated, String(meta.updatedAt));
  if (meta.expiresAt !== null) c.header(PACK_HEADERS.expires, String(meta.expiresAt));
}

function receipt(meta: PackMeta): PackReceipt {
  return { id: meta.id, version: meta.version, size: meta.size, createdAt: meta.createdAt, updatedAt: meta.updatedAt, expiresAt: meta.expiresAt };
}
