import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { SERVER_INFO } from './version.ts';

/** Builds the relay's HTTP routes. Routes only: relay logic lives in rooms/, storage in storage/. */
export function createApp(): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok', ...SERVER_INFO }));

  app.notFound((c) => c.json({ error: 'not-found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: 'http', message: err.message }, err.status);
    console.error(err);
    return c.json({ error: 'internal', message: 'Internal error' }, 500);
  });
  return app;
}
