import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatState } from '../../../messaging/chat-types.ts';
import { activeCharacter } from './active-character.tsx';
import { BO, expectStopped, fakeBackground, MIRA, mountFeature, press, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
const row = (kind: 'message' | 'message-user', text: string) => `<div class="chat_chat-${kind}__a"><div class="chat_chat-message-container__b"><div class="chat_chat-message-header__c"></div><div class="chat_chat-message-item__d"><div class="markdown-body">${text}</div></div></div></div>`;
beforeEach(() => { document.body.innerHTML = `<div class="chat_chat-body__x">${row('message', 'Hello!')}${row('message-user', 'Hi')}${row('message', 'A reply')}</div>`; });
afterEach(() => {
  mounted?.unmount();
  document.body.innerHTML = '';
});

const section = () => mounted!.section();
const marks = () => [...document.querySelectorAll('.troupe-attribution')].map((mark) => mark.getAttribute('aria-label'));

describe('active-character', () => {
  it('says what to do while no chat is open, or while the chat has no character', async () => {
    mounted = mountFeature(activeCharacter, { chatKey: null });
    expect(section().textContent).toBe('Open a chat in NextChat to give it a character.');
    mounted.openChat('o#1');
    await vi.waitFor(() => expect(section().textContent).toBe('No character in this chat: NextChat answers as usual.'));
    expect(mounted.background.calls).toEqual([]);
  });

  it('shows the character and the replies remembered, names it while closed, and marks its replies in NextChat\'s list', async () => {
    mounted = mountFeature(activeCharacter, { character: MIRA, logCount: 1 });
    expect(section().querySelector('strong')?.textContent).toBe('Mira');
    expect(section().textContent).toContain('1 reply remembered in this chat');
    // Only the reply after the person's first message is the character's; NextChat's hello is not.
    await vi.waitFor(() => expect(marks()).toEqual(['Reply by Mira']));
    mounted.openChat('o#1', BO);
    await vi.waitFor(() => expect(marks()).toEqual(['Reply by Bo']));
    mounted.unmount();

    mounted = mountFeature(activeCharacter, { character: MIRA, closed: true });
    expect(mounted.summary()).toBe('Mira');
  });

  it('deactivates the character for this chat through the overlay, and says when it could not', async () => {
    const background = fakeBackground();
    background.answer('chat.activate', ({ chatKey, characterId }): ChatState => ({ chatKey, character: characterId ? MIRA : null, logCount: 0 }));
    mounted = mountFeature(activeCharacter, { background, character: MIRA });
    await press(section, 'Deactivate Mira');
    await vi.waitFor(() => expect(section().textContent).toBe('No character in this chat: NextChat answers as usual.'));
    expect(background.callsOf('chat.activate')).toEqual([{ chatKey: 'o#1', characterId: null }]);
    await vi.waitFor(() => expect(marks()).toEqual([]));

    mounted.openChat('o#1', MIRA);
    background.answer('chat.activate', () => { throw new Error('the chat is gone'); });
    await press(section, 'Deactivate Mira');
    await vi.waitFor(() => expect(section().querySelector('[role="alert"]')?.textContent).toBe('the chat is gone'));
  });

  it('stops with its signal, taking its marks off NextChat\'s replies', async () => {
    mounted = mountFeature(activeCharacter, { character: MIRA });
    await vi.waitFor(() => expect(marks()).toEqual(['Reply by Mira']));
    await expectStopped(mounted, [{ type: 'chat-changed', chatKey: 'o#1' }, { type: 'reconnected' }]);
    expect(marks()).toEqual([]);
  });

  it('opens the library with the character picked to share, where the person confirms it', async () => {
    mounted = mountFeature(activeCharacter, { character: MIRA, logCount: 0 });
    mounted.background.answer('library.openManager', () => ({}));
    [...section().querySelectorAll('button')].find((b) => b.textContent === 'Share Mira as a link…')!.click();
    await vi.waitFor(() => expect(mounted!.background.callsOf('library.openManager')).toEqual([{ share: MIRA.id }]));
  });
});
