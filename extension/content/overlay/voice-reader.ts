/**
 * Reads replies aloud as they stream (issue #12): each reply's new text goes through a sentence stream
 * (@troupe/shared/voice) made with the character's reading options, and each complete sentence goes to
 * the background (`voice.speak`) in order, numbered from 0. Only when the chat reads aloud and its
 * character has a voice (asked once per reply, at its first text); otherwise the reply is not split.
 */
import { createSentenceStream, type SentenceStream, type SpeechSegment } from '@troupe/shared/voice';
import type { BackgroundCall } from './overlay-state.ts';

/** Replies followed at once (a retry can overlap the reply before it); older ones are dropped first. */
const MAX_READING_REPLIES = 4;

interface Reading {
  chatKey: string;
  /** Null while the chat's voice is asked for, and for good when it does not read aloud. */
  stream: SentenceStream | null;
  /** Text that came while the voice was asked for. */
  waiting: string[];
  ended: boolean;
  off: boolean;
  seq: number;
  /** Sentences go out one after another, so the background receives them in order. */
  sending: Promise<unknown>;
}

export interface VoiceReader {
  delta(chatKey: string, replyId: string, text: string): void;
  /** The reply's text is complete; resolves once its last sentence went to the background. */
  end(replyId: string): Promise<void>;
  /** Stops speaking (a new message, another chat): sentences still streaming in are not sent; the player is told when anything was sent. */
  stop(): void;
}

export function createVoiceReader(call: BackgroundCall, report: (error: unknown) => void = () => {}): VoiceReader {
  const readings = new Map<string, Reading>();
  /** A sentence went out since the last stop: only then is there anything to stop (a user turn or a chat switch costs no message otherwise). */
  let spoke = false;

  function send(replyId: string, reading: Reading, segments: SpeechSegment[]) {
    for (const segment of segments) {
      spoke = true;
      const seq = reading.seq++;
      reading.sending = reading.sending.then(() => (reading.off ? null : call('voice.speak', { chatKey: reading.chatKey, replyId, seq, text: segment.text, speaker: segment.speaker }))).catch(report);
    }
  }

  async function start(replyId: string, reading: Reading) {
    try {
      const view = await call('voice.get', { chatKey: reading.chatKey, forReply: true });
      if (!view.readAloud || !view.voice || reading.off) {
        reading.off = true;
        return;
      }
      // Code is never read aloud, whatever the card says.
      reading.stream = createSentenceStream({ ...view.voice.reading, skipCode: true });
      const text = reading.waiting.splice(0).join('');
      const segments = text ? reading.stream.push(text) : [];
      if (reading.ended) segments.push(...reading.stream.end());
      send(replyId, reading, segments);
    } catch (error) {
      reading.off = true;
      report(error);
    }
  }

  return {
    delta(chatKey, replyId, text) {
      let reading = readings.get(replyId);
      if (!reading) {
        reading = { chatKey, stream: null, waiting: [], ended: false, off: false, seq: 0, sending: Promise.resolve() };
        readings.set(replyId, reading);
        if (readings.size > MAX_READING_REPLIES) readings.delete(readings.keys().next().value!);
        void start(replyId, reading);
      }
      if (reading.off || reading.ended) return;
      if (reading.stream) send(replyId, reading, reading.stream.push(text));
      else reading.waiting.push(text);
    },
    async end(replyId) {
      const reading = readings.get(replyId);
      if (!reading || reading.ended) return;
      reading.ended = true;
      if (reading.stream && !reading.off) send(replyId, reading, reading.stream.end());
      await reading.sending;
    },
    stop() {
      for (const reading of readings.values()) reading.off = true;
      if (!spoke) return;
      spoke = false;
      call('voice.stop', {}).catch(report);
    },
  };
}
