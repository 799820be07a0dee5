/**
 * Streamed reply text in, speakable segments out, each as soon as its sentence is complete, so TTS
 * can start on the first sentence while the model is still writing the rest.
 *
 * Two stages: speech-markup.ts reads the Markdown and role-play marks (quotes, *actions*, code) and
 * applies the reading options; sentence-assembler.ts decides sentence ends (sentence-ends.ts), holds
 * fragments under MIN_SEGMENT_CHARS for the next sentence and cuts run-ons at MAX_SEGMENT_CHARS.
 *
 * A sentence is complete when the character after its . ! ? … is known (a decimal, an abbreviation
 * or a lower-case word continues it), at a line break, at a change of speaker, and at `end()`. The
 * segments do not depend on how the text was chunked: any split, mid-word or mid-mark, gives the same.
 */
import { VoiceError } from './errors.ts';
import { MAX_SEGMENT_CHARS, MIN_SEGMENT_CHARS } from './limits.ts';
import { DEFAULT_READING_OPTIONS, type ReadingOptions } from './reading-options.ts';
import { SentenceAssembler, type SpeechSegment } from './sentence-assembler.ts';
import { MarkupReader } from './speech-markup.ts';

export type { Speaker, SpeechSegment } from './sentence-assembler.ts';

export interface SentenceStreamOptions extends Partial<ReadingOptions> {
  /** Longest segment (defaults to MAX_SEGMENT_CHARS); a segment may pass it by the . ! ? marks that end it. */
  maxSegmentChars?: number;
  /** Sentences shorter than this are spoken with the next one (defaults to MIN_SEGMENT_CHARS; 0 never holds). */
  minSegmentChars?: number;
}

export interface SentenceStream {
  /** Feeds the next piece of the reply; returns the segments it completed (often none). */
  push(chunk: string): SpeechSegment[];
  /** The reply is complete: returns the remaining segments. The stream takes no more text after this. */
  end(): SpeechSegment[];
}

/**
 * Starts splitting one reply. Use one stream per reply (and per regeneration).
 * @example
 *   const stream = createSentenceStream({ narrator: true, skipActions: true });
 *   for await (const delta of reply) for (const segment of stream.push(delta)) tts.enqueue(segment);
 *   for (const segment of stream.end()) tts.enqueue(segment);
 */
export function createSentenceStream(options: SentenceStreamOptions = {}): SentenceStream {
  const maxChars = options.maxSegmentChars ?? MAX_SEGMENT_CHARS;
  const minChars = options.minSegmentChars ?? MIN_SEGMENT_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 2 || !Number.isInteger(minChars) || minChars < 0 || minChars >= maxChars) {
    throw new VoiceError('voice/bad-stream-use', `Segment limits must be integers with 0 <= min < max (got min ${minChars}, max ${maxChars}).`);
  }
  const reading: ReadingOptions = {
    dialogueOnly: options.dialogueOnly ?? DEFAULT_READING_OPTIONS.dialogueOnly,
    narrator: options.narrator ?? DEFAULT_READING_OPTIONS.narrator,
    skipCode: options.skipCode ?? DEFAULT_READING_OPTIONS.skipCode,
    skipActions: options.skipActions ?? DEFAULT_READING_OPTIONS.skipActions,
  };
  // The assembler pushes finished segments here; `take` hands them out and empties it in place.
  const out: SpeechSegment[] = [];
  const assembler = new SentenceAssembler({ maxChars, minChars }, out);
  const reader = new MarkupReader(reading, assembler);
  let ended = false;
  const take = (): SpeechSegment[] => {
    const done = out.slice();
    out.length = 0;
    return done;
  };
  const check = (): void => {
    if (ended) throw new VoiceError('voice/bad-stream-use', 'This sentence stream has ended; start a new one for the next reply.');
  };
  return {
    push(chunk) {
      check();
      reader.push(chunk);
      return take();
    },
    end() {
      check();
      ended = true;
      reader.end();
      return take();
    },
  };
}

/** Splits a whole reply at once (the same segments as streaming it). */
export function splitSpeech(text: string, options: SentenceStreamOptions = {}): SpeechSegment[] {
  const stream = createSentenceStream(options);
  return [...stream.push(text), ...stream.end()];
}
