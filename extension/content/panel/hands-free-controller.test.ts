import { describe, expect, it, vi } from 'vitest';
import type { BackgroundCall } from '../overlay/overlay-state.ts';
import type { HandsFreeAnswer } from '../../messaging/protocols/hands-free.ts';
import { createHandsFreeController } from './hands-free-controller.ts';

const settle = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };
const measures = { speechEndToRequestMs: null, endpointingMs: null, onsetToStopMs: null };

/** A background whose polls are answered one by one by the test (each poll waits for `answer`). */
function setup(start: unknown = { ok: true }) {
  const calls: { type: string; payload: unknown }[] = [];
  let reply: ((answer: HandsFreeAnswer | Error) => void) | null = null;
  const call = (async (type: string, payload: unknown) => {
    calls.push({ type, payload });
    if (type === 'voice.handsFree.start') return start;
    if (type === 'voice.handsFree.poll') {
      const answer = await new Promise<HandsFreeAnswer | Error>((resolve) => { reply = resolve; });
      if (answer instanceof Error) throw answer;
      return answer;
    }
    return null;
  }) as unknown as BackgroundCall;
  const typeSpoken = vi.fn((_text: string, send: boolean) => (send ? 'sent' as const : 'typed' as const));
  const controller = new AbortController();
  const waits: number[] = [];
  const handsFree = createHandsFreeController(call, typeSpoken, controller.signal, async (ms) => { waits.push(ms); });
  const answer = async (value: HandsFreeAnswer | Error) => {
    await settle();
    const send = reply!;
    reply = null;
    send(value);
    await settle();
  };
  return { calls, typeSpoken, handsFree, answer, controller, waits, polls: () => calls.filter((c) => c.type === 'voice.handsFree.poll').map((c) => c.payload) };
}

describe('hands-free in the panel', () => {
  it('follows the session and types each turn into NextChat, asking only for what is new', async () => {
    const t = setup();
    t.handsFree.start();
    expect(t.handsFree.state.get()).toMatchObject({ on: true, phase: 'starting' });
    await t.answer({ session: 's1', phase: 'listening', events: [], measures });
    expect(t.handsFree.state.get().phase).toBe('listening');
    await t.answer({ session: 's1', phase: 'waiting', events: [{ n: 1, kind: 'turn', text: 'Hello Mira.', autoSend: true }], measures });
    expect(t.typeSpoken).toHaveBeenCalledWith('Hello Mira.', true);
    expect(t.handsFree.state.get()).toMatchObject({ phase: 'waiting', outcome: { kind: 'sent', text: 'Hello Mira.' } });
    // The same event again (a repeated answer) is not typed twice.
    await t.answer({ session: 's1', phase: 'waiting', events: [{ n: 1, kind: 'turn', text: 'Hello Mira.', autoSend: true }], measures });
    expect(t.typeSpoken).toHaveBeenCalledTimes(1);
    expect(t.polls().at(-1)).toEqual({ session: 's1', after: 1, phase: 'waiting' });
  });

  it('re-opens the microphone at once when a turn could not be sent', async () => {
    const t = setup();
    t.typeSpoken.mockReturnValueOnce('no-input' as never);
    t.handsFree.start();
    await t.answer({ session: 's1', phase: 'waiting', events: [{ n: 1, kind: 'turn', text: 'Hi.', autoSend: true }], measures });
    expect(t.calls.map((c) => c.type)).toContain('voice.handsFree.replyDone');
    expect(t.handsFree.state.get().outcome).toMatchObject({ kind: 'error', message: expect.stringContaining('message box') });
  });

  it('says why it could not start, and switches off', async () => {
    const t = setup({ ok: false, code: 'permission-denied', message: 'Troupe may not use the microphone.', canRetry: false });
    t.handsFree.start();
    await settle();
    expect(t.handsFree.state.get()).toEqual({ on: false, phase: 'off', outcome: { kind: 'error', message: 'Troupe may not use the microphone.', canRetry: false } });
  });

  it('polls again after a failed poll, and switches off when the session is gone', async () => {
    const t = setup();
    t.handsFree.start();
    await t.answer(new Error('Could not establish connection.'));
    expect(t.waits).toEqual([1_000]);
    await t.answer({ session: 's1', phase: 'off', events: [], measures });
    expect(t.handsFree.state.get()).toMatchObject({ on: false, phase: 'off', outcome: { kind: 'error', message: expect.stringContaining('Hands-free stopped') } });
  });

  it('stops the session when switched off, or when the chat changes', async () => {
    const t = setup();
    t.handsFree.start();
    t.handsFree.stop();
    expect(t.calls.map((c) => c.type)).toContain('voice.handsFree.stop');
    const u = setup();
    u.handsFree.start();
    u.controller.abort();
    expect(u.calls.map((c) => c.type)).toContain('voice.handsFree.stop');
    expect(u.handsFree.state.get().on).toBe(false);
  });
});
