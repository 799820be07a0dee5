import { describe, expect, it } from 'vitest';
import { jsonReplyReader, openaiCodec } from '@troupe/shared/providers';
import { deltaReporter, tapReplyStream } from './reply-tap.ts';
import { MAX_REPLY_DELTA_CHARS, REPLY_DELTA_INTERVAL_MS } from '../messaging/limits/general.ts';

const enc = new TextEncoder();
const sse = (...deltas: string[]) => deltas.map((d) => `data: ${JSON.stringify({ choices: [{ delta: { content: d } }] })}\n\n`).join('') + 'data: [DONE]\n\n';

function streamOf(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = enc.encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

describe('the OpenAI stream reader', () => {
  it('joins deltas across lines split anywhere, ignoring comments and non-JSON', () => {
    const reader = openaiCodec.streamReader();
    const text = ': keep-alive\n' + sse('Hel', 'lo, ', 'wörld') + 'data: not json\n';
    for (const ch of text) reader.push(ch);
    reader.finish();
    expect(reader.text()).toBe('Hello, wörld');
    expect(reader.sawDone).toBe(true);
  });

  it('handles CRLF line endings', () => {
    const reader = openaiCodec.streamReader();
    reader.push(sse('a', 'b').replaceAll('\n', '\r\n'));
    expect(reader.text()).toBe('ab');
  });
});

describe('tapReplyStream', () => {
  it('passes bytes through unchanged and reports the text once at [DONE]', async () => {
    const source = sse('Hi ', 'there', ' ✨');
    const ends: [string, string][] = [];
    const out = await new Response(tapReplyStream(streamOf(source, 7), openaiCodec.streamReader(), (t, s) => ends.push([t, s]))).text();
    expect(out).toBe(source);
    expect(ends).toEqual([['Hi there ✨', 'done']]);
  });

  it('reports partial text as aborted when the reader cancels before [DONE]', async () => {
    const ends: [string, string][] = [];
    const body = tapReplyStream(streamOf(`data: ${JSON.stringify({ choices: [{ delta: { content: 'partial' } }] })}\n\n` + 'x'.repeat(1000), 64), openaiCodec.streamReader(), (t, s) => ends.push([t, s]));
    const reader = body.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(ends).toEqual([['partial', 'aborted']]);
  });

  it('reads a whole JSON completion', async () => {
    const ends: [string, string][] = [];
    const json = JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'whole' } }] });
    await new Response(tapReplyStream(streamOf(json, 5), jsonReplyReader(openaiCodec.jsonText), (t, s) => ends.push([t, s]))).text();
    expect(ends).toEqual([['whole', 'done']]);
  });

  it('reads the source only as the page reads, and reports partial text as aborted when the connection fails', async () => {
    let pulls = 0;
    const chunks = [`data: ${JSON.stringify({ choices: [{ delta: { content: 'cut ' } }] })}\n\n`, 'FAIL'];
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks[pulls++];
        if (next === 'FAIL') controller.error(new Error('connection reset'));
        else controller.enqueue(enc.encode(next));
      },
    }, { highWaterMark: 0 });
    const ends: [string, string][] = [];
    const reader = tapReplyStream(source, openaiCodec.streamReader(), (t, s) => ends.push([t, s])).getReader();
    await new Promise((r) => setTimeout(r, 10));
    expect(pulls).toBe(0);
    await reader.read();
    expect(pulls).toBe(1);
    await expect(reader.read()).rejects.toThrow('connection reset');
    expect(ends).toEqual([['cut ', 'aborted']]);
  });
});

describe('reply deltas', () => {
  it('reports the streamed text in order, every slice before the end, adding up to the whole reply', async () => {
    const source = sse('The lamp ', 'is lit. It ', 'burns all night', '. The end');
    const deltas: string[] = [];
    const ends: string[] = [];
    await new Response(tapReplyStream(streamOf(source, 9), openaiCodec.streamReader(), (t) => ends.push(`end:${t}`), globalThis, (d) => deltas.push(d), () => 0)).text();
    expect(deltas.join('')).toBe('The lamp is lit. It burns all night. The end');
    expect(ends).toEqual(['end:The lamp is lit. It burns all night. The end']);
  });

  it('reports at most every REPLY_DELTA_INTERVAL_MS unless a sentence ended, in slices of at most MAX_REPLY_DELTA_CHARS', () => {
    let now = 1_000;
    const deltas: string[] = [];
    const reporter = deltaReporter((d) => deltas.push(d), () => now);
    reporter.grew('The');
    expect(deltas).toEqual(['The']);
    reporter.grew('The lamp');
    expect(deltas).toEqual(['The']); // too soon, no sentence end
    reporter.grew('The lamp is lit.');
    expect(deltas).toEqual(['The', ' lamp is lit.']);
    reporter.grew('The lamp is lit. It');
    now += REPLY_DELTA_INTERVAL_MS;
    reporter.grew('The lamp is lit. It burns');
    expect(deltas.at(-1)).toBe(' It burns');
    const long = 'x'.repeat(MAX_REPLY_DELTA_CHARS * 2 + 5);
    const big: string[] = [];
    deltaReporter((d) => big.push(d), () => now).flush(long);
    expect(big.map((d) => d.length)).toEqual([MAX_REPLY_DELTA_CHARS, MAX_REPLY_DELTA_CHARS, 5]);
  });
});
