import { Hono } from 'hono';
import { isValidPackId, PACK_PAGE_PATH } from '@troupe/shared/packs';

/**
 * `GET /p/:id`: where a share link lands. For now a static placeholder that says the pack opens in
 * Troupe; the page that opens a pack without Troupe (decrypting in the browser with the key from
 * the fragment) comes next. It never reads the store, and sends no referrer and runs no script.
 */
export function packPageRoutes(): Hono {
  const app = new Hono();
  app.get(`${PACK_PAGE_PATH}:id`, (c) => {
    const valid = isValidPackId(c.req.param('id'));
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-cache');
    return c.html(valid ? PAGE : NOT_A_PACK, valid ? 200 : 404);
  });
  return app;
}

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}small{color:#666}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

const PAGE = page(
  'A Troupe character pack',
  '<h1>A Troupe character pack</h1><p>This pack opens in Troupe; the page that opens it without Troupe arrives next.</p>' +
    '<p><small>The pack is encrypted. Its key is the part of this link after "#", which your browser never sent to this server.</small></p>',
);

const NOT_A_PACK = page('Not a pack link', '<h1>Not a pack link</h1><p>This address is not a complete Troupe pack link.</p>');
