import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { PROTOCOL_VERSION } from '@troupe/shared/protocol';

describe('sync-server app', () => {
  it('reports health with its version and protocol', async () => {
    const res = await createApp().request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', name: 'troupe-sync-server', version: '0.1.0', protocol: PROTOCOL_VERSION });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await createApp().request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not-found' });
  });
});
