import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PromptReport } from '@troupe/shared/prompt';
import { INSPECTOR_REFRESH_DELAY_MS } from '../../../messaging/limits/general.ts';
import { RuntimeCallError } from '../../../client/runtime-client.ts';
import { promptInspector } from './prompt-inspector.tsx';
import { expectStopped, fakeBackground, MIRA, mountFeature, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => {
  mounted?.unmount();
  vi.useRealTimers();
});

const REPORT: PromptReport = {
  at: 1,
  characterName: 'Mira',
  model: 'gpt-4o-mini',
  provider: 'OpenAI',
  parts: [{ id: 'main', label: 'Main prompt', role: 'system', tokens: 12, source: 'card', text: 'Write Mira…' }, { id: 'user', label: 'Your message', role: 'user', tokens: 5, source: 'chat', text: 'Hello' }],
  lore: {
    entries: [{ id: 'e1', comment: 'Lighthouse', book: 'Harbour', source: 'chat', position: 'after_char', tokens: 9, why: 'key "lighthouse"' }],
    warnings: [],
    budget: { limit: 100, used: 9, overflowed: false },
    skipped: 0,
  },
  trimmed: { historyDropped: 0, historyKept: 2, greetingDropped: false },
  fit: { contextSize: 8192, reserved: 1024, total: 26, fits: true },
};

const section = () => mounted!.section();

describe('prompt-inspector', () => {
  it('shows how the chat\'s last request was built: its parts, the lore that fired and why, and its size while closed', async () => {
    const background = fakeBackground();
    background.answer('prompt.report', () => REPORT);
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(section().querySelectorAll('table[aria-label="Prompt parts"] tbody tr')).toHaveLength(2));
    expect(background.callsOf('prompt.report')).toEqual([{ chatKey: 'o#1' }]);
    expect(section().textContent).toContain('26 of 8192 tokens (1024 kept for the reply), gpt-4o-mini via OpenAI');
    expect(section().querySelector('ul[aria-label="Lore entries"]')!.textContent).toBe('Lighthouse (chat lore “Harbour”): key "lighthouse", after_char, 9 tokens');
    mounted.unmount();

    mounted = mountFeature(promptInspector, { background, character: MIRA, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('26 of 8192 tokens'));
  });

  it('says whether the history was the whole chat NextChat saved, or only its recent messages and why', async () => {
    const background = fakeBackground();
    let history: PromptReport['history'] = { source: 'whole-chat', added: 36 };
    background.answer('prompt.report', () => ({ ...REPORT, history }));
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    const line = () => section().querySelector('[aria-label="History source"]')?.textContent;
    await vi.waitFor(() => expect(line()).toBe("History: the whole chat NextChat saved: 36 earlier messages before NextChat's own recent ones."));
    mounted.unmount();
    mounted.unmount();
    background.answer('prompt.report', () => ({ ...REPORT, history, memory: { budget: 600, used: 120, facts: 22, summaries: [{ id: 's0', tokens: 60, covers: 40 }, { id: 's1', tokens: 20, covers: 10 }], recalled: [{ id: 'u3', tokens: 18, score: 4.2 }] } }));
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(section().querySelector('[aria-label="Memory used"]')?.textContent).toBe('Memory: 120 of 600 tokens (22 tokens of pinned facts, 2 summaries of 50 earlier messages, 1 recalled message).'));
    mounted.unmount();
    history = { source: 'nextchat-window', added: 0, reason: "NextChat's recent messages do not match its saved chat" };
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(line()).toBe("History: only NextChat's recent messages (NextChat's recent messages do not match its saved chat)."));
  });

  it('says when no request was built yet, and shows nothing without a character', async () => {
    const background = fakeBackground();
    background.answer('prompt.report', () => null);
    mounted = mountFeature(promptInspector, { background });
    expect(background.calls).toEqual([]);
    mounted.openChat('o#1', MIRA);
    await vi.waitFor(() => expect(section().textContent).toBe('No request has been built in this chat yet. Send a message to see its prompt.'));
  });

  it('reads the report again once a request\'s reply is under way, and at once when the chat changes', async () => {
    const background = fakeBackground();
    background.answer('prompt.report', () => null);
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(section().textContent).toContain('No request'));
    // Only the clock: the page's idle callbacks (stubbed in tests) follow it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    background.answer('prompt.report', () => REPORT);
    background.emit({ type: 'prompt-built', chatKey: 'o#1' });
    background.emit({ type: 'prompt-built', chatKey: 'o#2' });
    await vi.advanceTimersByTimeAsync(INSPECTOR_REFRESH_DELAY_MS - 1);
    expect(background.callsOf('prompt.report')).toHaveLength(1);
    // The delay is over; then the page is idle (the idle callback is the next timer).
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersToNextTimerAsync();
    expect(background.callsOf('prompt.report')).toHaveLength(2);
    vi.useRealTimers();
    await vi.waitFor(() => expect(section().textContent).toContain('26 of 8192 tokens'));
    background.emit({ type: 'chat-changed', chatKey: 'o#1' });
    expect(background.callsOf('prompt.report')).toHaveLength(3);
  });

  it('says in its section when the report cannot be read, and once the background is out of reach, the same words as every feature', async () => {
    const background = fakeBackground();
    background.answer('prompt.report', () => { throw new RuntimeCallError('prompt/failed', 'no report store'); });
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(section().textContent).toBe('Prompt inspector failed: no report storeTry again'));
    mounted.unmount();
    background.answer('prompt.report', () => { throw new RuntimeCallError('runtime/unreachable', 'Troupe\'s background is not reachable (Error: Extension context invalidated.).'); });
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(section().textContent).toBe('Troupe was updated or stopped: reload the page to use it here.'));
  });

  it('stops with its signal', async () => {
    const background = fakeBackground();
    background.answer('prompt.report', () => REPORT);
    mounted = mountFeature(promptInspector, { background, character: MIRA });
    await vi.waitFor(() => expect(section().querySelector('table')).not.toBeNull());
    await expectStopped(mounted, [{ type: 'prompt-built', chatKey: 'o#1' }, { type: 'chat-changed', chatKey: 'o#1' }, { type: 'reconnected' }]);
  });
});
