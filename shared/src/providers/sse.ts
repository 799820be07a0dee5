import type { ReplyTextReader } from './codec.ts';

/**
 * A server-sent-events reader: splits lines, hands each `data:` payload to `onData`, which returns the
 * text it carries (or undefined) and whether the stream is complete. `event:` lines are ignored, as
 * NextChat's client ignores them.
 */
export class SseReplyReader implements ReplyTextReader {
  private pending = '';
  private readonly parts: string[] = [];
  sawDone = false;

  constructor(private readonly onData: (data: string) => { text?: string; done?: boolean }) {}

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
    if (!line.startsWith('data:') || this.sawDone) return;
    const data = line.slice(5).trim();
    if (data.length === 0) return;
    const { text, done } = this.onData(data);
    if (text) this.parts.push(text);
    if (done) this.sawDone = true;
  }
}

/** Parses one `data:` payload as JSON; undefined for keep-alives, comments and other non-JSON lines. */
export function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
