// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { readBodyLimited, utf8 } from './read-body.ts';

function streamOf(chunks: Uint8Array[], onCancel: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel: onCancel,
  });
}

describe('readBodyLimited', () => {
  it('joins every chunk of a body within the limit', async () => {
    const body = streamOf([Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4, 5)], () => {});
    expect(await readBodyLimited(new Response(body), 5)).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
  });

  it('stops and cancels the stream once the limit is passed', async () => {
    let cancelled = false;
    let pulledAfterLimit = false;
    const chunks = [new Uint8Array(4), new Uint8Array(4), new Uint8Array(4)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) {
          pulledAfterLimit = true;
          controller.close();
        } else controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await readBodyLimited(new Response(body), 6)).toBeNull();
    expect(cancelled).toBe(true);
    expect(pulledAfterLimit).toBe(false);
  });

  it('refuses a declared content-length over the limit without reading', async () => {
    const res = new Response('0123456789', { headers: { 'content-length': '10' } });
    expect(await readBodyLimited(res, 9)).toBeNull();
  });

  it('gives an empty array for a body-less response', async () => {
    expect(await readBodyLimited(new Response(null, { status: 204 }), 10)).toEqual(new Uint8Array(0));
  });

  it('decodes UTF-8 and replaces broken sequences instead of throwing', () => {
    expect(utf8(new TextEncoder().encode('Séraphina'))).toBe('Séraphina');
    expect(utf8(Uint8Array.of(0x61, 0xff, 0x62))).toBe('a\uFFFDb');
  });
});
