/**
 * Serves the NextChat test double (../stage) and, like NextChat's Next.js server, proxies
 * `/api/openai/*`, `/api/anthropic/*` and `/api/google/*` to the test LLM, streaming the reply through untouched.
 * Unlike NextChat's server (which sends a fresh request with its own key), the proxy forwards the
 * browser's headers, so tests can see exactly what the page sent, plus PROXY_MARK_HEADER.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeServer, listen } from './http-util.ts';

export interface Stage {
  /** The NextChat double: `http://127.0.0.1:PORT/` (hash routes `#/chat`, `#/settings`, …). */
  url: string;
  /** An ordinary page on the same origin with no NextChat landmarks: `http://127.0.0.1:PORT/plain.html`. */
  plainUrl: string;
  close(): Promise<void>;
}

/** The stage page's files; resolved from this module so the harness works from any working directory. */
export const STAGE_DIR = fileURLToPath(new URL('../stage/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The providers whose `/api/{provider}/…` calls the stage proxies to the test LLM (OpenAI, Claude, Gemini). */
const PROXIED_PROVIDER = /^\/api\/(?:openai|anthropic|google)\/(.*)$/;

/** Headers that describe one hop only and must not be forwarded. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function forwardHeaders(headers: IncomingMessage['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) out[name] = value;
  }
  return out;
}

/** Added to proxied requests so tests can tell NextChat's server-proxy path from a direct browser call. */
export const PROXY_MARK_HEADER = 'x-stage-proxy';

function proxy(req: IncomingMessage, res: ServerResponse, upstreamUrl: URL): void {
  const headers = { ...forwardHeaders(req.headers), [PROXY_MARK_HEADER]: 'nextchat-server' };
  const upstream = httpRequest(upstreamUrl, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers));
    res.flushHeaders();
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: true, message: `stage proxy: ${err.message}` }));
  });
  // The page aborts its fetch after the stream ends; stop the upstream call with it.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

async function serveFile(res: ServerResponse, pathname: string): Promise<void> {
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
  const file = normalize(STAGE_DIR + relative);
  if (!file.startsWith(STAGE_DIR) || file.endsWith(sep)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
}

/**
 * Starts the stage server on 127.0.0.1 (a free port unless `port` is given). `llmUrl` is the
 * upstream for NextChat's server-proxy mode, e.g. a `startTestLlm()` url.
 * @example
 *   const stage = await startStage({ llmUrl: llm.url });
 *   await page.goto(stage.url);
 */
export async function startStage(opts: { llmUrl: string; port?: number }): Promise<Stage> {
  const upstreamBase = opts.llmUrl.replace(/\/+$/, '');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // NextChat's server proxy: `/api/{provider}/rest` goes to the provider's base URL + `/rest`.
    const proxied = PROXIED_PROVIDER.exec(url.pathname);
    if (proxied) {
      proxy(req, res, new URL(`${upstreamBase}/${proxied[1]}${url.search}`));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain' });
      res.end('method not allowed');
      return;
    }
    serveFile(res, url.pathname).catch(() => res.destroy());
  });
  const port = await listen(server, opts.port ?? 0);
  const url = `http://127.0.0.1:${port}/`;
  return { url, plainUrl: `${url}plain.html`, close: () => closeServer(server) };
}
