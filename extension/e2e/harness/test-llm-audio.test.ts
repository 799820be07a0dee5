// @vitest-environment node
/**
 * The test LLM's audio endpoints, over real HTTP on 127.0.0.1: STT answers the scripted transcript and
 * records the upload; TTS answers a WAV made by espeak-ng and records each request in order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readWavHeader } from './espeak-wav.ts';
import { multipartBoundary, parseMultipart } from './multipart.ts';
import { DEFAULT_TRANSCRIPT, startTestLlm, type TestLlm } from './test-llm.ts';

let llm: TestLlm;

beforeAll(async () => {
  llm = await startTestLlm();
});
afterAll(async () => {
  await llm.close();
});
beforeEach(() => {
  llm.reset();
});

/** A small fake recording: the bytes need not be audio for the STT double. */
const AUDIO = new Uint8Array(Array.from({ length: 3_000 }, (_, i) => (i * 7) % 256));

function upload(fields: Record<string, string> = { model: 'whisper-1' }, audio: Uint8Array<ArrayBuffer> | null = AUDIO, type = 'audio/webm'): Promise<Response> {
  const form = new FormData();
  if (audio) form.append('file', new Blob([audio], { type }), 'speech.webm');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return fetch(`${llm.url}/v1/audio/transcriptions`, { method: 'POST', body: form, headers: { authorization: 'Bearer test' } });
}

function speech(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${llm.url}/v1/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('POST /v1/audio/transcriptions', () => {
  it('answers the default transcript and records the upload', async () => {
    const res = await upload({ model: 'whisper-1', language: 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ text: DEFAULT_TRANSCRIPT });
    expect(llm.transcriptions).toHaveLength(1);
    const [request] = llm.transcriptions;
    expect(request).toMatchObject({ model: 'whisper-1', fileName: 'speech.webm', contentType: 'audio/webm', bytes: AUDIO.length, fields: { model: 'whisper-1', language: 'en' } });
    // The binary upload arrives byte for byte (a UTF-8 read would have mangled it).
    expect(new Uint8Array(request!.audio)).toEqual(AUDIO);
    expect(llm.requests.at(-1)?.path).toBe('/v1/audio/transcriptions');
  });

  it('serves scripted transcripts: one text, a list in order, a function', async () => {
    llm.setTranscript('Tell me about the map.');
    expect(await (await upload()).json()).toEqual({ text: 'Tell me about the map.' });
    llm.setTranscript(['first', 'second']);
    expect(await (await upload()).json()).toEqual({ text: 'first' });
    expect(await (await upload()).json()).toEqual({ text: 'second' });
    expect((await upload()).status).toBe(500);
    llm.setTranscript((req) => `heard ${req.bytes} bytes of ${req.contentType}`);
    expect(await (await upload(undefined, new Uint8Array(10), 'audio/wav')).json()).toEqual({ text: 'heard 10 bytes of audio/wav' });
  });

  it('has an empty-transcript mode and an error mode', async () => {
    llm.setTranscript('');
    expect(await (await upload()).json()).toEqual({ text: '' });
    llm.setTranscript(() => ({ status: 503, body: '{"error":{"message":"overloaded"}}' }));
    const res = await upload();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { message: 'overloaded' } });
    expect(llm.transcriptions).toHaveLength(2);
  });

  it('answers text/plain for response_format=text', async () => {
    llm.setTranscript('plain words');
    const res = await upload({ model: 'whisper-1', response_format: 'text' });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('plain words');
  });

  it('refuses a form without a file or a model, or a body that is not a form, and records none', async () => {
    expect((await upload({ model: 'whisper-1' }, null)).status).toBe(400);
    expect((await upload({})).status).toBe(400);
    const res = await fetch(`${llm.url}/v1/audio/transcriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(llm.transcriptions).toEqual([]);
  });
});

describe('POST /v1/audio/speech', () => {
  it('answers a well-formed WAV of the input, made by espeak-ng', async () => {
    const res = await speech({ model: 'tts-1', input: 'Hello there. How are you?', voice: 'alloy', response_format: 'wav' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const wav = Buffer.from(await res.arrayBuffer());
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.toString('latin1', 8, 16)).toBe('WAVEfmt ');
    const header = readWavHeader(wav);
    expect(header).toMatchObject({ format: 1, channels: 1, sampleRate: 22_050, bitsPerSample: 16 });
    // The sizes are real, not espeak's streaming placeholders.
    expect(header!.riffSize).toBe(wav.length - 8);
    expect(header!.dataBytes).toBe(wav.length - header!.dataOffset);
    // About a second and a half of speech, and not silence.
    const seconds = header!.dataBytes / (22_050 * 2);
    expect(seconds).toBeGreaterThan(0.8);
    expect(seconds).toBeLessThan(5);
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + header!.dataOffset, wav.byteOffset + wav.length));
    expect(Math.max(...samples.map(Math.abs))).toBeGreaterThan(1_000);
  });

  it('records each request in order, with the fields as sent', async () => {
    for (const [i, input] of ['One.', 'Two.', 'Three.'].entries()) {
      expect((await speech({ model: 'kokoro', input, voice: 'af_bella', speed: 1 + i / 2, response_format: 'mp3' })).status).toBe(200);
    }
    expect(llm.speeches.map(({ at: _at, respondedAt: _respondedAt, ...rest }) => rest)).toEqual([
      { model: 'kokoro', input: 'One.', voice: 'af_bella', speed: 1, response_format: 'mp3' },
      { model: 'kokoro', input: 'Two.', voice: 'af_bella', speed: 1.5, response_format: 'mp3' },
      { model: 'kokoro', input: 'Three.', voice: 'af_bella', speed: 2, response_format: 'mp3' },
    ]);
  });

  it('speaks faster at a higher speed', async () => {
    const length = async (speed: number): Promise<number> => (await (await speech({ input: 'The quick brown fox jumps over the lazy dog.', voice: 'x', speed })).arrayBuffer()).byteLength;
    expect(await length(2)).toBeLessThan((await length(1)) * 0.75);
  });

  it('holds the audio until the test lets it go, and can delay the first byte', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    llm.setSpeechReply({ beforeAudio: () => held });
    let settled = false;
    const pending = speech({ input: 'Wait for it.', voice: 'alloy' }).then((res) => {
      settled = true;
      return res;
    });
    await llm.waitForRequest((r) => r.path === '/v1/audio/speech');
    expect(settled).toBe(false);
    release();
    expect((await pending).status).toBe(200);

    llm.setSpeechReply({ delayMs: 300 });
    const started = performance.now();
    const res = await speech({ input: 'Slow.', voice: 'alloy' });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('has an error mode, and refuses requests the real API refuses', async () => {
    llm.setSpeechReply(() => ({ raw: { status: 429, body: '{"error":{"message":"rate limited"}}' } }));
    expect((await speech({ input: 'Hi.', voice: 'alloy' })).status).toBe(429);
    llm.setSpeechReply();
    expect((await speech({ input: '', voice: 'alloy' })).status).toBe(400);
    expect((await speech({ input: 'x'.repeat(4097), voice: 'alloy' })).status).toBe(400);
    expect((await speech({ input: 'Hi.', speed: 9 })).status).toBe(400);
    expect(llm.speeches.map((s) => s.input)).toEqual(['Hi.']);
  });
});

describe('multipart reader', () => {
  it('reads fields and files, and refuses what is not a form', () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary=xyz')).toBe('xyz');
    expect(multipartBoundary('application/json')).toBeNull();
    const body = Buffer.from('--xyz\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n\r\n--x\r\n--xyz--\r\n');
    expect(parseMultipart(body, 'xyz')).toEqual([
      { name: 'model', data: Buffer.from('whisper-1') },
      { name: 'file', fileName: 'a.wav', contentType: 'audio/wav', data: Buffer.from('\r\n--x') },
    ]);
    expect(parseMultipart(Buffer.from('--xyz\r\nno end'), 'xyz')).toBeNull();
    expect(parseMultipart(Buffer.from('nothing'), 'xyz')).toBeNull();
  });
});
