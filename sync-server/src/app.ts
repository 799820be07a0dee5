import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Relay } from './rooms/relay.ts';
import { packRoutes, type PackRoutesOptions } from './routes/packs.ts';
import { syncRoutes } from './routes/sync.ts';
import { SERVER_INFO } from './version.ts';

export interface AppOptions {
  /** The relay behind `/sync/:room` and `/stats`; without it only `/healthz` is served. */
  relay?: Relay;
  /** The pack routes (/packs, /p/:id); without it they are not served. */
  packs?: PackRoutesOptions;
}

/** Builds the relay's HTTP routes. Routes only: relay logic lives in rooms/, storage in storage/. */
export function createApp(options: AppOptions = {}): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok', ...SERVER_INFO }));

  const relay = options.relay;
  if (relay) {
    // Counts only (no room names), so it is safe to expose; operators and tests watch rooms leave memory here.
    app.get('/stats', (c) => c.json(relay.stats()));
    app.route('/', syncRoutes(relay));
  }
  if (options.packs) app.route('/', packRoutes(options.packs));

  app.notFound((c) => c.json({ error: 'not-found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: 'http', message: err.message }, err.status);
    console.error(err);
    return c.json({ error: 'internal', message: 'Internal error' }, 500);
  });
  return app;
}
