// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../sillytavern/index.ts';
import { recordingStore } from '../st-import/test-support.ts';
import { sillytavernHandlers } from './sillytavern-handlers.ts';

const json = (value: unknown): Response => new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });

describe('sillytavernHandlers', () => {
  it('wires connect, import and status to the service with the given fetch, permission check and store', async () => {
    const seen: string[] = [];
    const fetch: FetchLike = async (input) => {
      const path = new URL(String(input)).pathname;
      seen.push(path);
      if (path === '/csrf-token') return json({ token: 't' });
      if (path === '/version') return json({ pkgVersion: '1.19.0' });
      if (path === '/api/characters/all') return json([{ name: 'Gone', avatar: 'gone.png' }]);
      return new Response('Not Found', { status: 404 });
    };
    const { store } = recordingStore();
    const handlers = sillytavernHandlers({ store, fetch, canReach: async (pattern) => pattern === 'http://127.0.0.1/*' });

    expect(await handlers['sillytavern.connect']({ url: 'http://127.0.0.1:8000' })).toEqual({
      url: 'http://127.0.0.1:8000',
      version: '1.19.0',
      characters: [{ avatar: 'gone.png', name: 'Gone', tags: [], creator: null }],
    });
    await expect(handlers['sillytavern.connect']({ url: 'http://st.example:8000' })).rejects.toMatchObject({ code: 'st-import/permission' });

    const { jobId } = await handlers['sillytavern.import']({ url: 'http://127.0.0.1:8000', characters: [{ avatar: 'gone.png', name: 'Gone' }] });
    let status = await handlers['sillytavern.importStatus']({ jobId, resultsFrom: 0 });
    while (status.running) {
      await new Promise((r) => setTimeout(r, 1));
      status = await handlers['sillytavern.importStatus']({ jobId, resultsFrom: 0 });
    }
    expect(status.results).toMatchObject([{ label: 'Gone', ok: false, code: 'st/not-found' }]);
    expect(seen).toContain('/characters/gone.png');
    await expect(handlers['sillytavern.cancelImport']({ jobId: 'unknown' })).rejects.toMatchObject({ code: 'st-import/no-job' });
  });
});
