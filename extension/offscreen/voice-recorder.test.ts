import { describe, expect, it } from 'vitest';
import { createVoiceRecorder, type Capture } from './voice-recorder.ts';

const ENDPOINT = { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', apiKey: 'sk-stt-secret' };
const clip = () => new Blob([new Uint8Array(2_000)], { type: 'audio/webm;codecs=opus' });

function setup(answers: (Response | Error)[], capture: () => Promise<Capture> = async () => ({ stop: async () => clip() })) {
  const posted: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    posted.push({ url, init });
    const next = answers.shift()!;
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { posted, recorder: createVoiceRecorder({ capture, fetch, setTimeout: () => 0, clearTimeout: () => {} }) };
}
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('push-to-talk recorder', () => {
  it('records while held and posts the clip as multipart with the model and key', async () => {
    const { posted, recorder } = setup([json({ text: 'Hello Mira.' })]);
    expect(await recorder.start()).toEqual({ ok: true });
    expect(recorder.busy()).toBe(true);
    expect(await recorder.stop(ENDPOINT, true)).toEqual({ ok: true, text: 'Hello Mira.', autoSend: true });
    expect(recorder.busy()).toBe(false);
    expect(posted[0]!.url).toBe('http://127.0.0.1:9000/v1/audio/transcriptions');
    expect(posted[0]!.init.headers).toEqual({ authorization: 'Bearer sk-stt-secret' });
    const body = posted[0]!.init.body as FormData;
    expect(body.get('model')).toBe('whisper-1');
    expect((body.get('file') as File).size).toBe(2_000);
    expect(await recorder.retry(ENDPOINT, true)).toMatchObject({ ok: false, code: 'nothing-to-retry' });
  });

  it('keeps a clip that failed so Retry sends the same bytes; never words a key', async () => {
    const { posted, recorder } = setup([json({ error: { message: 'Incorrect API key sk-stt-secret' } }, 401), new TypeError('Failed to fetch'), json({ text: 'Again.' })]);
    await recorder.start();
    const refused = await recorder.stop(ENDPOINT, false);
    expect(refused).toMatchObject({ ok: false, code: 'unauthorized', canRetry: true });
    expect(JSON.stringify(refused)).not.toContain('sk-stt-secret');
    expect(await recorder.retry(ENDPOINT, false)).toMatchObject({ ok: false, code: 'endpoint-unreachable', canRetry: true });
    expect(await recorder.retry(ENDPOINT, false)).toEqual({ ok: true, text: 'Again.', autoSend: false });
    const bytes = async (i: number) => new Uint8Array(await ((posted[i]!.init.body as FormData).get('file') as File).arrayBuffer());
    expect(await bytes(2)).toEqual(await bytes(0));
    expect((await bytes(2)).length).toBe(2_000);
  });

  it('says so for an empty transcript, no endpoint, no microphone and a denial', async () => {
    const { recorder } = setup([json({ text: '  ' })]);
    await recorder.start();
    expect(await recorder.stop(ENDPOINT, true)).toMatchObject({ ok: false, code: 'empty-transcript', canRetry: false });
    await recorder.start();
    expect(await recorder.stop(null, true)).toMatchObject({ ok: false, code: 'no-endpoint', canRetry: true });
    expect(await recorder.stop(ENDPOINT, true)).toMatchObject({ ok: false, code: 'not-recording' });
    const none = setup([], async () => { throw new DOMException('none', 'NotFoundError'); }).recorder;
    expect(await none.start()).toMatchObject({ ok: false, code: 'no-microphone' });
    expect(none.busy()).toBe(false);
    const denied = setup([], async () => { throw new DOMException('no', 'NotAllowedError'); }).recorder;
    expect(await denied.start()).toMatchObject({ ok: false, code: 'permission-denied', message: expect.stringContaining('Allow microphone') });
  });
});
