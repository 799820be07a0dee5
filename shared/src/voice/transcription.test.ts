import { describe, expect, it } from 'vitest';
import { clipFileName, readTranscription, transcriptionTarget, transcriptionUrl } from './transcription.ts';

const answer = (body: string, status = 200, type = 'application/json') => new Response(body, { status, headers: { 'content-type': type } });

describe('transcription', () => {
  it('posts to …/audio/transcriptions with the key as a Bearer token', () => {
    expect(transcriptionUrl('http://127.0.0.1:9000/v1/')).toBe('http://127.0.0.1:9000/v1/audio/transcriptions');
    expect(transcriptionUrl('http://h')).toBe('http://h/v1/audio/transcriptions');
    expect(transcriptionTarget({ url: 'http://h/v1', model: 'whisper-1', apiKey: 'sk-1' })).toEqual({ url: 'http://h/v1/audio/transcriptions', headers: { authorization: 'Bearer sk-1' } });
    expect(transcriptionTarget({ url: 'http://h/v1', model: 'm' }).headers).toEqual({});
    expect(clipFileName('audio/webm;codecs=opus')).toBe('speech.webm');
    expect(clipFileName('audio/wav')).toBe('speech.wav');
  });

  it('reads the text, or says why not with a code', async () => {
    expect(await readTranscription(answer('{"text":"  Hello there. "}'))).toEqual({ ok: true, text: 'Hello there.' });
    expect(await readTranscription(answer('plain words', 200, 'text/plain'))).toEqual({ ok: true, text: 'plain words' });
    expect(await readTranscription(answer('{"text":""}'))).toMatchObject({ ok: false, code: 'empty-transcript' });
    expect(await readTranscription(answer('{"error":{"message":"bad key"}}', 401))).toEqual({ ok: false, code: 'unauthorized', message: 'Transcription failed: the endpoint refused the API key (401): bad key.' });
    expect(await readTranscription(answer('oops', 500, 'text/plain'))).toMatchObject({ ok: false, code: 'endpoint-failed', message: expect.stringContaining('500') });
  });
});
