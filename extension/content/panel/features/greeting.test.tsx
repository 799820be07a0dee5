import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { greeting } from './greeting.tsx';
import { BO, expectStopped, fakeBackground, keepChatSettings, MIRA, mountFeature, press, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
const hello = '<div class="chat_chat-message__a"><div class="chat_chat-message-container__b"><div class="chat_chat-message-header__c"></div><div class="chat_chat-message-item__d"><div class="markdown-body">Hello! How can I assist you today?</div></div></div></div>';
beforeEach(() => { document.body.innerHTML = `<div class="chat_chat-body__x">${hello}</div>`; });
afterEach(() => {
  mounted?.unmount();
  document.body.innerHTML = '';
});

const GREETINGS = ['Welcome, {{user}}. The tide is out.', 'Ahoy, {{user}}! Mind the rocks.'];
const section = () => mounted!.section();
const shown = () => section().querySelector('blockquote')?.textContent;
/** Troupe's greeting row in NextChat's list. */
const row = () => document.querySelector('[data-troupe-greeting]');
const trustedClick = (element: Element) => {
  const event = new MouseEvent('click', { bubbles: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  element.dispatchEvent(event);
};

describe('greeting', () => {
  it('shows the chosen greeting, macros resolved, in the panel and as the first row of NextChat\'s list', async () => {
    const background = fakeBackground();
    keepChatSettings(background, { greetings: GREETINGS, defaultPersona: { name: 'Ann', description: '' } });
    mounted = mountFeature(greeting, { background, character: MIRA });
    await vi.waitFor(() => expect(shown()).toBe('Welcome, Ann. The tide is out.'));
    expect(section().textContent).toContain('Mira opens this chat with:');
    expect(section().textContent).toContain('1 of 2');
    expect(background.callsOf('chat.settings.get')).toEqual([{ chatKey: 'o#1' }]);
    await vi.waitFor(() => expect(row()?.querySelector('.markdown-body')?.textContent).toBe('Welcome, Ann. The tide is out.'));
    expect(row()!.querySelector('[aria-label="Reply by Mira"]')).not.toBeNull();
  });

  it('swipes to the next greeting from the panel and from NextChat\'s list, saving the choice', async () => {
    const background = fakeBackground();
    const saved = keepChatSettings(background, { greetings: GREETINGS });
    mounted = mountFeature(greeting, { background, character: MIRA });
    await press(section, 'Next greeting');
    await vi.waitFor(() => expect(shown()).toBe('Ahoy, User! Mind the rocks.'));
    expect(section().textContent).toContain('2 of 2');
    expect(background.callsOf('chat.settings.update')).toEqual([{ chatKey: 'o#1', greetingIndex: 1 }]);
    await vi.waitFor(() => expect(row()?.querySelector('.troupe-swipe-position')?.textContent).toBe('2 of 2'));

    trustedClick(row()!.querySelector('button[aria-label="Next greeting"]')!);
    await vi.waitFor(() => expect(shown()).toBe('Welcome, User. The tide is out.'));
    expect(saved.get('o#1')?.greetingIndex).toBe(0);
  });

  it('after the first reply: nothing in the panel, the row stays without swiping', async () => {
    const background = fakeBackground();
    keepChatSettings(background, { greetings: GREETINGS });
    mounted = mountFeature(greeting, { background, character: MIRA, logCount: 1 });
    await vi.waitFor(() => expect(row()?.querySelector('.markdown-body')?.textContent).toBe('Welcome, User. The tide is out.'));
    expect(row()!.querySelector('.troupe-swipe')).toBeNull();
    expect(section().textContent).toBe('');
  });

  it('needs a character: none loads nothing; another character starts again; the row goes with the character', async () => {
    const background = fakeBackground();
    keepChatSettings(background, { greetings: GREETINGS });
    mounted = mountFeature(greeting, { background });
    expect(background.calls).toEqual([]);
    mounted.openChat('o#1', MIRA);
    await vi.waitFor(() => expect(row()).not.toBeNull());
    mounted.openChat('o#1', BO);
    await vi.waitFor(() => expect(row()?.querySelector('[aria-label="Reply by Bo"]')).not.toBeNull());
    expect(background.callsOf('chat.settings.get')).toHaveLength(2);
    mounted.openChat('o#1', null);
    await vi.waitFor(() => expect(row()).toBeNull());
    expect([...document.querySelectorAll<HTMLElement>('.markdown-body')].map((text) => text.textContent)).toEqual(['Hello! How can I assist you today?']);
  });

  it('says in its section when the greetings cannot be read or the choice not saved', async () => {
    const background = fakeBackground();
    background.answer('chat.settings.get', () => { throw new Error('card unreadable'); });
    mounted = mountFeature(greeting, { background, character: MIRA });
    await vi.waitFor(() => expect(section().querySelector('[role="alert"]')?.textContent).toContain('Greeting failed: card unreadable'));
    keepChatSettings(background, { greetings: GREETINGS });
    background.answer('chat.settings.update', () => { throw new Error('not saved'); });
    await press(section, 'Try again');
    await press(section, 'Next greeting');
    await vi.waitFor(() => expect(section().querySelector('[role="alert"]')?.textContent).toBe('not saved'));
  });

  it('stops with its signal, giving NextChat its own greeting back', async () => {
    const background = fakeBackground();
    keepChatSettings(background, { greetings: GREETINGS });
    mounted = mountFeature(greeting, { background, character: MIRA });
    await vi.waitFor(() => expect(row()).not.toBeNull());
    await expectStopped(mounted, [{ type: 'chat-changed', chatKey: 'o#1' }, { type: 'reconnected' }]);
    expect(row()).toBeNull();
  });
});
