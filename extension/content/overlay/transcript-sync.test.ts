import { beforeAll, describe, expect, it, vi } from 'vitest';
import { transcriptKeeper } from './transcript-sync.ts';
import { createStore } from './store.ts';
import { INITIAL_OVERLAY_STATE, type BackgroundCall, type OverlayState } from './overlay-state.ts';

const CHAT = 'o#s1';
const mira = { id: 'c1', name: 'Mira', description: '', avatar: null, updatedAt: 1 };
const messages = [{ id: 'm1', role: 'user' as const, text: 'Hello' }];

function setup(character: typeof mira | null = mira) {
  const state = createStore<OverlayState>({ ...INITIAL_OVERLAY_STATE, chatKey: CHAT, chat: { chatKey: CHAT, character, logCount: 0 } });
  const sent: unknown[] = [];
  const call = (async (type: string, payload: unknown) => { sent.push({ type, payload }); return null; }) as unknown as BackgroundCall;
  return { keep: transcriptKeeper(state, call, () => {}, new AbortController().signal), sent };
}

// The test DOM has no idle callbacks: the page's idle time is "soon".
beforeAll(() => {
  if (!('requestIdleCallback' in globalThis)) {
    vi.stubGlobal('requestIdleCallback', (task: () => void) => setTimeout(task, 1));
    vi.stubGlobal('cancelIdleCallback', (handle: number) => clearTimeout(handle));
  }
});

describe('transcriptKeeper', () => {
  it('hands a character chat\'s transcript to the background when idle, once per change, the newest of a burst', async () => {
    const { keep, sent } = setup();
    keep(CHAT, [{ id: 'm0', role: 'user', text: 'older read' }]);
    keep(CHAT, messages);
    expect(sent).toEqual([]);
    await vi.waitFor(() => expect(sent).toEqual([{ type: 'memory.transcript', payload: { chatKey: CHAT, messages } }]));
    keep(CHAT, [...messages]);
    keep(CHAT, [...messages, { id: 'm2', role: 'assistant', text: 'Ahoy' }]);
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    // The same transcript again is not sent: the next change is the next thing the background hears.
    keep(CHAT, [...messages, { id: 'm2', role: 'assistant', text: 'Ahoy' }]);
    const third = [...messages, { id: 'm2', role: 'assistant' as const, text: 'Ahoy!' }];
    keep(CHAT, third);
    await vi.waitFor(() => expect(sent).toHaveLength(3));
    expect(sent[2]).toEqual({ type: 'memory.transcript', payload: { chatKey: CHAT, messages: third } });
  });

  it('keeps nothing of a chat without a character, or of a chat that is not the open one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const none = setup(null);
      none.keep(CHAT, messages);
      const other = setup();
      other.keep('o#other', messages);
      await vi.runAllTimersAsync();
      expect(none.sent).toEqual([]);
      expect(other.sent).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
