/**
 * Reads a chat-completion reply as it streams past, without consuming it for the page: the page reads
 * the same bytes through a wrapping stream (never `response.clone()`, which NextChat's own SSE reader,
 * aborting after close, breaks).
 */
import type { ReplyTextReader } from '@troupe/shared/providers';
import { MAX_REPLY_DELTA_CHARS, REPLY_DELTA_INTERVAL_MS } from '../messaging/limits/general.ts';

export type ReplyStatus = 'done' | 'aborted';

/** Characters that end a sentence (or a line): new text ending one is reported at once. */
const SENTENCE_END = /[.!?…。！？\n]/;

/**
 * Reports the reply's text as it grows, in order and without gaps: at most every REPLY_DELTA_INTERVAL_MS,
 * at once when new text holds a sentence end, never more than MAX_REPLY_DELTA_CHARS per call.
 * `flush()` reports what is left (the reply ended).
 */
export function deltaReporter(onDelta: (text: string) => void, now: () => number): { grew(text: string): void; flush(text: string): void } {
  let reported = 0;
  let last = -Infinity;
  const send = (text: string) => {
    while (reported < text.length) {
      const piece = text.slice(reported, reported + MAX_REPLY_DELTA_CHARS);
      reported += piece.length;
      onDelta(piece);
    }
    last = now();
  };
  return {
    grew(text) {
      if (text.length <= reported) return;
      if (now() - last >= REPLY_DELTA_INTERVAL_MS || SENTENCE_END.test(text.slice(reported))) send(text);
    },
    flush: send,
  };
}

/**
 * The reply's body as a stream that hands the page every chunk unchanged and calls `onEnd` once with
 * the reply text: at `data: [DONE]`, at the end of the stream, or (status 'aborted', partial text) when
 * the page cancels first or the connection fails. `reader` reads the text in the provider's format
 * (its SSE stream or one JSON reply; see @troupe/shared/providers).
 *
 * A pull source reading the original body only when the page reads (no queue of its own, so NextChat's
 * pace is the network's) rather than `pipeThrough` a TransformStream, whose pipe reads ahead into a
 * second queue and never tells the tap when the connection fails. (Measured in Chromium: neither adds
 * more than 0.1 ms to the first byte at p50.)
 */
export function tapReplyStream(
  source: ReadableStream<Uint8Array>,
  reader: ReplyTextReader,
  onEnd: (text: string, status: ReplyStatus) => void,
  // The MAIN world passes the ones it captured before the page's scripts ran.
  builtins: { ReadableStream: typeof ReadableStream; TextDecoder: typeof TextDecoder } = globalThis,
  /** The reply's text as it streams, in slices (see deltaReporter); every slice comes before onEnd. */
  onDelta?: (text: string) => void,
  now: () => number = () => Date.now(),
): ReadableStream<Uint8Array> {
  const decoder = new builtins.TextDecoder();
  const upstream = source.getReader();
  const deltas = onDelta ? deltaReporter(onDelta, now) : null;
  /** Reports new text; never lets Troupe's bookkeeping break the page's stream. */
  const grew = () => {
    try {
      deltas?.grew(reader.text());
    } catch {
      // Voice misses this part; NextChat still gets every byte.
    }
  };
  let ended = false;
  const end = (status: ReplyStatus) => {
    if (ended) return;
    ended = true;
    // Troupe's bookkeeping must never break the page's stream (fail open).
    try {
      deltas?.flush(reader.text());
      onEnd(reader.text(), status);
    } catch {
      // The reply is not remembered; NextChat still gets every byte.
    }
  };
  return new builtins.ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await upstream.read();
      } catch (error) {
        end(reader.sawDone ? 'done' : 'aborted');
        controller.error(error);
        return;
      }
      if (chunk.done) {
        reader.push(decoder.decode());
        reader.finish();
        end('done');
        controller.close();
        return;
      }
      controller.enqueue(chunk.value);
      if (ended) return;
      if (reader.push(decoder.decode(chunk.value, { stream: true }))) end('done');
      else grew();
    },
    // Called when NextChat stops reading (user pressed stop, or its SSE client aborts after close).
    cancel(reason) {
      end(reader.sawDone ? 'done' : 'aborted');
      return upstream.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
}
