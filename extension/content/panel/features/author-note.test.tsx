import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CHAT_SETTINGS } from '../../../messaging/chat-settings.ts';
import { authorNote } from './author-note.tsx';
import { button, expectStopped, fakeBackground, field, keepChatSettings, mountFeature, typeInto, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

const form = () => mounted!.section().querySelector('form[aria-label="Author\'s note"]');
const noteField = () => field<HTMLTextAreaElement>(mounted!.section(), 'Author\'s note');

describe('author-note', () => {
  it('loads the open chat\'s note into its form, and says its depth while closed', async () => {
    const background = fakeBackground();
    keepChatSettings(background, { saved: { 'o#1': { authorNote: { text: 'Keep it short.', depth: 2, everyN: 0, role: 'system' } } } });
    mounted = mountFeature(authorNote, { background });
    await vi.waitFor(() => expect(noteField().value).toBe('Keep it short.'));
    expect(background.callsOf('chat.settings.get')).toEqual([{ chatKey: 'o#1' }]);
    expect(field(mounted.section(), 'Depth').value).toBe('2');
    mounted.unmount();

    mounted = mountFeature(authorNote, { background, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('depth 2'));
  });

  it('saves what the person wrote for this chat, and refuses depths that are not whole numbers', async () => {
    const background = fakeBackground();
    const saved = keepChatSettings(background);
    mounted = mountFeature(authorNote, { background });
    await vi.waitFor(() => expect(form()).not.toBeNull());
    typeInto(field(mounted.section(), 'Depth'), '1.5');
    await vi.waitFor(() => expect(button(mounted!.section(), 'Save note').disabled).toBe(true));
    expect(mounted.section().textContent).toContain('Depth and every N turns must be whole numbers from 0.');

    typeInto(noteField(), 'Keep {{char}}\'s answers short.');
    typeInto(field(mounted.section(), 'Depth'), '1');
    await vi.waitFor(() => expect(button(mounted!.section(), 'Save note').disabled).toBe(false));
    button(mounted.section(), 'Save note').click();
    await vi.waitFor(() => expect(mounted!.section().querySelector('[role="status"]')?.textContent).toBe('Saved for this chat.'));
    expect(background.callsOf('chat.settings.update')).toEqual([{ chatKey: 'o#1', authorNote: { text: 'Keep {{char}}\'s answers short.', depth: 1, everyN: 0, role: 'system' } }]);
    expect(saved.get('o#1')?.authorNote.depth).toBe(1);
  });

  it('shows in its own section what failed: the load (with a way to try again) and a save', async () => {
    const background = fakeBackground();
    background.answer('chat.settings.get', () => { throw new Error('the database is closed'); });
    mounted = mountFeature(authorNote, { background });
    await vi.waitFor(() => expect(mounted!.section().querySelector('[role="alert"]')?.textContent).toContain('Author\'s note failed: the database is closed'));
    expect(form()).toBeNull();

    keepChatSettings(background);
    background.answer('chat.settings.update', () => { throw new Error('note too long'); });
    button(mounted.section(), 'Try again').click();
    await vi.waitFor(() => expect(form()).not.toBeNull());
    expect(mounted.section().querySelector('[role="alert"]')).toBeNull();
    button(mounted.section(), 'Save note').click();
    await vi.waitFor(() => expect(mounted!.section().querySelector('[role="alert"]')?.textContent).toBe('note too long'));
  });

  it('reads the note again when its chat changes elsewhere, not for other chats; a new chat starts its own form', async () => {
    const background = fakeBackground();
    const saved = keepChatSettings(background);
    mounted = mountFeature(authorNote, { background });
    await vi.waitFor(() => expect(form()).not.toBeNull());
    background.emit({ type: 'chat-changed', chatKey: 'o#2' });
    expect(background.callsOf('chat.settings.get')).toHaveLength(1);
    saved.set('o#1', { ...DEFAULT_CHAT_SETTINGS, authorNote: { text: 'From another tab.', depth: 4, everyN: 0, role: 'system' } });
    background.emit({ type: 'chat-changed', chatKey: 'o#1' });
    expect(background.callsOf('chat.settings.get')).toHaveLength(2);

    saved.set('o#2', { ...DEFAULT_CHAT_SETTINGS, authorNote: { text: 'Second chat.', depth: 4, everyN: 0, role: 'system' } });
    mounted.openChat('o#2');
    await vi.waitFor(() => expect(noteField().value).toBe('Second chat.'));
    background.emit({ type: 'chat-changed', chatKey: 'o#1' });
    expect(background.callsOf('chat.settings.get').map((p) => p.chatKey)).toEqual(['o#1', 'o#1', 'o#2']);
  });

  it('shows nothing and loads nothing while no chat is open, and stops with its signal', async () => {
    const background = fakeBackground();
    keepChatSettings(background);
    mounted = mountFeature(authorNote, { background, chatKey: null });
    expect(mounted.section().textContent).toBe('');
    expect(background.calls).toEqual([]);
    mounted.openChat('o#1');
    await vi.waitFor(() => expect(form()).not.toBeNull());
    await expectStopped(mounted, [{ type: 'chat-changed', chatKey: 'o#1' }, { type: 'reconnected' }]);
  });
});
