import type { WireFormat } from '@troupe/shared/providers';

/** The key holding the turns in each format's body. */
const TURNS_KEY: Readonly<Record<WireFormat, string>> = { openai: 'messages', anthropic: 'messages', gemini: 'contents' };

/**
 * MAIN world, on the built body it was handed: true when it is a body of `format` with turns, streamed
 * as the page's was. Deliberately shallow and written with plain loops and own-property reads: a page
 * script may have replaced array and object methods, and this runs on the built prompt. The
 * background (whose built-ins the page cannot reach) checks the prompt fully as it writes it; this
 * only keeps a broken hand-over from breaking the person's request (fail open).
 */
export function isPlausibleRewrite(rewritten: unknown, format: WireFormat, originalStream: unknown): boolean {
  if (typeof rewritten !== 'object' || rewritten === null) return false;
  const record = rewritten as Record<string, unknown>;
  // No Array.isArray: a replaced one would be handed the built turns.
  const turns = record[TURNS_KEY[format]] as { length?: unknown; [index: number]: unknown } | undefined;
  if (typeof turns !== 'object' || turns === null || typeof turns.length !== 'number' || turns.length === 0) return false;
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (typeof turn !== 'object' || turn === null || typeof (turn as { role?: unknown }).role !== 'string') return false;
  }
  return format === 'gemini' || record.stream === originalStream;
}
