import { describe, expect, it, vi } from 'vitest';
import type { BackgroundCall } from '../overlay/overlay-state.ts';
import { createTalkController } from './talk-controller.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(answers: Record<string, unknown[]>) {
  const calls: string[] = [];
  const call = (async (type: string) => {
    calls.push(type);
    return answers[type]!.shift();
  }) as unknown as BackgroundCall;
  const typeSpoken = vi.fn((_text: string, send: boolean) => (send ? 'sent' as const : 'typed' as const));
  return { calls, typeSpoken, talk: createTalkController(call, typeSpoken) };
}

describe('push-to-talk in the panel', () => {
  it('records while held, then types the transcript and sends it when auto-send is on', async () => {
    const { calls, typeSpoken, talk } = setup({ 'voice.listen.start': [{ ok: true }], 'voice.listen.stop': [{ ok: true, text: 'Hello Mira.', autoSend: true }] });
    talk.press();
    expect(talk.state.get().phase).toBe('recording');
    await settle();
    talk.release();
    await settle();
    expect(calls).toEqual(['voice.listen.start', 'voice.listen.stop']);
    expect(typeSpoken).toHaveBeenCalledWith('Hello Mira.', true);
    expect(talk.state.get()).toEqual({ phase: 'idle', outcome: { kind: 'sent', text: 'Hello Mira.' } });
  });

  it('a release before the microphone opened is acted on once, when it has', async () => {
    const { calls, talk } = setup({ 'voice.listen.start': [{ ok: true }], 'voice.listen.stop': [{ ok: true, text: 'Hi.', autoSend: false }] });
    talk.press();
    talk.release();
    talk.release();
    await settle();
    await settle();
    expect(calls).toEqual(['voice.listen.start', 'voice.listen.stop']);
    expect(talk.state.get().outcome).toEqual({ kind: 'typed', text: 'Hi.' });
  });

  it('says what went wrong, and Retry re-sends the clip', async () => {
    const { calls, talk } = setup({
      'voice.listen.start': [{ ok: true }],
      'voice.listen.stop': [{ ok: false, code: 'unauthorized', message: 'Transcription failed: the endpoint refused the API key (401).', canRetry: true }],
      'voice.listen.retry': [{ ok: true, text: 'Again.', autoSend: true }],
    });
    talk.press();
    await settle();
    talk.release();
    await settle();
    expect(talk.state.get().outcome).toEqual({ kind: 'error', message: 'Transcription failed: the endpoint refused the API key (401).', canRetry: true });
    talk.retry();
    await settle();
    expect(calls.at(-1)).toBe('voice.listen.retry');
    expect(talk.state.get().outcome).toEqual({ kind: 'sent', text: 'Again.' });
  });

  it('a microphone that would not open says so and records nothing', async () => {
    const { calls, talk } = setup({ 'voice.listen.start': [{ ok: false, code: 'no-microphone', message: 'No microphone found.', canRetry: false }] });
    talk.press();
    await settle();
    talk.release();
    await settle();
    expect(calls).toEqual(['voice.listen.start']);
    expect(talk.state.get()).toEqual({ phase: 'idle', outcome: { kind: 'error', message: 'No microphone found.', canRetry: false } });
  });
});
