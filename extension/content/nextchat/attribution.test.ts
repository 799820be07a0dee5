import { describe, expect, it } from 'vitest';
import { loadNextChatFixture } from './fixture-page.ts';
import { SELECTORS } from './selectors.ts';
import { ATTRIBUTION_CLASS, followAttribution, syncAttribution } from './attribution.ts';

const MIRA = { name: 'Mira', avatar: 'data:image/png;base64,iVBORw0KGgo=' };

describe('attribution on a saved NextChat page', () => {
  it('marks each reply after the first user message, skipping NextChat\'s greeting', () => {
    const doc = loadNextChatFixture('chat-after-one-reply');
    syncAttribution(doc, MIRA);
    const bots = [...doc.querySelectorAll(SELECTORS.botRow)];
    expect(bots[0]!.querySelector(`.${ATTRIBUTION_CLASS}`)).toBeNull();
    const marked = doc.querySelectorAll(`.${ATTRIBUTION_CLASS}`);
    expect(marked).toHaveLength(bots.length - 1);
    expect(marked[0]!.getAttribute('aria-label')).toBe('Reply by Mira');
    expect(marked[0]!.parentElement!.matches(SELECTORS.messageHeader)).toBe(true);
    expect(marked[0]!.querySelector('img')?.getAttribute('src')).toBe(MIRA.avatar);
    for (const user of doc.querySelectorAll(SELECTORS.userRow)) expect(user.querySelector(`.${ATTRIBUTION_CLASS}`)).toBeNull();
  });

  it('is idempotent, follows a renamed character and removes everything when none is active', () => {
    const doc = loadNextChatFixture('chat-after-one-reply');
    syncAttribution(doc, MIRA);
    syncAttribution(doc, MIRA);
    const count = doc.querySelectorAll(`.${ATTRIBUTION_CLASS}`).length;
    syncAttribution(doc, { name: 'Bo', avatar: null });
    expect([...doc.querySelectorAll(`.${ATTRIBUTION_CLASS}`)].map((e) => e.getAttribute('aria-label'))).toEqual(Array(count).fill('Reply by Bo'));
    syncAttribution(doc, null);
    expect(doc.querySelectorAll(`.${ATTRIBUTION_CLASS}`)).toHaveLength(0);
  });

  it('marks rows NextChat adds later and cleans up when the signal aborts', async () => {
    const doc = loadNextChatFixture('chat-after-one-reply');
    const controller = new AbortController();
    followAttribution(doc, () => MIRA, controller.signal);
    const body = doc.querySelector(SELECTORS.chatBody)!;
    const lastBot = [...doc.querySelectorAll(SELECTORS.botRow)].at(-1)!;
    const clone = lastBot.cloneNode(true) as Element;
    clone.querySelector(`.${ATTRIBUTION_CLASS}`)?.remove();
    body.append(clone);
    await expect.poll(() => clone.querySelector(`.${ATTRIBUTION_CLASS}`)?.getAttribute('aria-label')).toBe('Reply by Mira');
    controller.abort();
    expect(doc.querySelectorAll(`.${ATTRIBUTION_CLASS}`)).toHaveLength(0);
  });
});
