import { Hono, type Context } from 'hono';
import { isValidPackId, PACK_PAGE_PATH } from '@troupe/shared/packs';
import { packPageBundle, type PackPageBundle } from './pack-page-bundle.ts';

/**
 * Where the page's built files are served: `/p/_/page.<hash>.js` and `.css`. `_` can never be a pack
 * id (ids are 22 characters), and the page refers to them relatively (`_/…`), so a relay served under
 * a path prefix works too.
 */
export const PACK_PAGE_ASSETS_PATH = `${PACK_PAGE_PATH}_/`;

/**
 * The page's policy: its own script and style sheet only, fetches to this relay only, images only
 * from blob:/data: URLs it makes itself, no frames, no forms, no base, and no HTML from strings at
 * all (Trusted Types with no policy): card text can only ever become text.
 */
export const PACK_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** A year: the files are named by their content's hash, so a cached copy is never stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface PackPageOptions {
  /** The built script and style sheet (tests may pass a failing one); the relay's own build by default. */
  bundle?: () => Promise<PackPageBundle>;
  /** Where a failed build is reported. */
  onBuildError?: (error: unknown) => void;
}

/**
 * `GET /p/:id`: where a share link lands, for people without Troupe. A static page whose script
 * reads the key from the link's fragment (never sent here), downloads the sealed pack from
 * `/packs/:id`, opens it in the browser and offers each character as a PNG or CHARX card. It never
 * reads the store and never echoes the id into its markup; a malformed id gets the same page with a
 * 404 (its script names the problem). `GET /p/_/<file>`: the page's script and style sheet.
 */
export function packPageRoutes(options: PackPageOptions = {}): Hono {
  const bundle = options.bundle ?? packPageBundle;
  const onBuildError = options.onBuildError ?? ((error: unknown) => console.error('the pack page did not build', error));
  const app = new Hono();

  app.get(`${PACK_PAGE_ASSETS_PATH}:file`, async (c) => {
    const built = await bundle().catch(() => null);
    const asset = built && [built.script, built.style].find((candidate) => candidate.name === c.req.param('file'));
    c.header('X-Content-Type-Options', 'nosniff');
    if (!asset) return c.text('Not found', 404);
    c.header('Content-Type', asset.contentType);
    c.header('Cache-Control', IMMUTABLE);
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200);
  });

  app.get(`${PACK_PAGE_PATH}:id`, async (c) => {
    const status = isValidPackId(c.req.param('id')) ? 200 : 404;
    let built: PackPageBundle;
    try {
      built = await bundle();
    } catch (error) {
      onBuildError(error);
      pageHeaders(c, "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      return c.html(UNAVAILABLE, 503);
    }
    pageHeaders(c, PACK_PAGE_CSP);
    return c.html(pageHtml(built), status);
  });
  return app;
}

function pageHeaders(c: Context, csp: string): void {
  c.header('Content-Security-Policy', csp);
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  // Revalidated on every visit, so a relay's new page (new file names) shows at once.
  c.header('Cache-Control', 'no-cache');
}

const FOOTER =
  '<footer><p>The pack is encrypted. Its key is the part of this link after "#", which your browser never sends to this server: the pack is unlocked here, in your browser. Nothing in a card runs on this page.</p></footer>';

/** The page: relative links to the built files (the page lives at `<prefix>/p/<id>`). */
export function pageHtml(bundle: PackPageBundle): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    // An empty icon: without one the browser asks the relay for /favicon.ico on every visit.
    '<meta name="robots" content="noindex"><title>A character pack</title><link rel="icon" href="data:,">' +
    `<link rel="stylesheet" href="_/${bundle.style.name}"><script type="module" src="_/${bundle.script.name}"></script></head>` +
    '<body><main id="pack-page" data-state="start"><h1>A character pack</h1>' +
    '<noscript><p>This page needs JavaScript: the pack is unlocked in your browser, with the key in the link, which never reaches this server.</p></noscript>' +
    `</main>${FOOTER}</body></html>`
  );
}

const UNAVAILABLE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">' +
  '<title>A character pack</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style></head>' +
  '<body><h1>A character pack</h1><p>This relay cannot show packs in the browser right now. Troupe opens the link as it is; or try again later.</p></body></html>';
