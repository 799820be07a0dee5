/**
 * Reads a chat-completion reply as it streams past, without consuming it for the page: the page gets
 * the same bytes through `pipeThrough`, so NextChat's own SSE reader (which aborts after close and
 * breaks `response.clone()`) is untouched.
 */
export type ReplyStatus = 'done' | 'aborted';

/**
 * A TransformStream that passes every chunk on unchanged and calls `onEnd` once with the reply text:
 * at `data: [DONE]`, at the end of the stream, or (status 'aborted', partial text) when the reader
 * cancels first. `format` says how to read the text: SSE deltas or one JSON completion.
 */
export function createReplyTap(format: 'sse' | 'json', onEnd: (text: string, status: ReplyStatus) => void): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const reader = format === 'sse' ? new SseTextReader() : new JsonTextReader();
  let ended = false;
  const end = (status: ReplyStatus) => {
    if (ended) return;
    ended = true;
    onEnd(reader.text(), status);
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      if (ended) return;
      if (reader.push(decoder.decode(chunk, { stream: true }))) end('done');
    },
    flush() {
      reader.push(decoder.decode());
      reader.finish();
      end('done');
    },
    // Called when NextChat stops reading (user pressed stop, or its SSE client aborts after close).
    cancel() {
      end(reader.sawDone ? 'done' : 'aborted');
    },
  } as Transformer<Uint8Array, Uint8Array> & { cancel(): void });
}

/** Accumulates `choices[0].delta.content` from SSE `data:` lines. */
export class SseTextReader {
  private pending = '';
  private readonly parts: string[] = [];
  sawDone = false;

  /** Feeds decoded text; returns true once `data: [DONE]` was seen. */
  push(chunk: string): boolean {
    this.pending += chunk;
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      this.readLine(line);
    }
    return this.sawDone;
  }

  finish(): void {
    if (this.pending.length > 0) this.readLine(this.pending);
    this.pending = '';
  }

  text(): string {
    return this.parts.join('');
  }

  private readLine(line: string): void {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      this.sawDone = true;
      return;
    }
    try {
      const content = (JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] }).choices?.[0]?.delta?.content;
      if (typeof content === 'string') this.parts.push(content);
    } catch {
      // A line that is not JSON (a comment, a keep-alive) carries no text.
    }
  }
}

/** Reads `choices[0].message.content` from a whole JSON completion. */
class JsonTextReader {
  private raw = '';
  private parsed = '';
  sawDone = false;

  push(chunk: string): boolean {
    this.raw += chunk;
    return false;
  }

  finish(): void {
    try {
      const content = (JSON.parse(this.raw) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
      this.parsed = typeof content === 'string' ? content : '';
    } catch {
      this.parsed = '';
    }
  }

  text(): string {
    return this.parsed;
  }
}
