import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_PROMPT_SETTINGS } from '../../../messaging/prompt-settings.ts';
import { kitRevisionItem } from '../../../messaging/storage/kit-revision.ts';
import { chatLore } from './chat-lore.tsx';
import { button, choose, expectStopped, fakeBackground, field, keepChatSettings, mountFeature, type FakeBackground, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
beforeEach(() => fakeBrowser.reset());
afterEach(() => mounted?.unmount());

const LIBRARY = {
  settings: { ...DEFAULT_PROMPT_SETTINGS, globalLorebookIds: ['coast'], hostSystemMode: 'keep' as const },
  lorebooks: [{ id: 'harbour', name: 'Harbour', entries: 1 }, { id: 'coast', name: 'Coast', entries: 3 }],
};

function withLibrary(background: FakeBackground = fakeBackground()) {
  background.answer('prompt.settings.get', () => LIBRARY);
  return background;
}

const checkbox = (name: string) => field(mounted!.section(), name);
const status = () => mounted!.section().querySelector('[role="status"]')?.textContent;

describe('chat-lore', () => {
  it('lists the library\'s lorebooks for this chat, with the ones on in every chat, and binds one when checked', async () => {
    const background = withLibrary();
    const saved = keepChatSettings(background);
    mounted = mountFeature(chatLore, { background });
    await vi.waitFor(() => expect(mounted!.section().querySelector('ul[aria-label="Lorebooks for this chat"]')).not.toBeNull());
    expect([...mounted.section().querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Harbour 1 entry', 'Coast 3 entries, on in every chat']);
    expect(background.callsOf('chat.settings.get')).toEqual([{ chatKey: 'o#1' }]);
    expect(background.callsOf('prompt.settings.get')).toHaveLength(1);

    checkbox('Harbour').click();
    await vi.waitFor(() => expect(status()).toBe('Saved for this chat.'));
    expect(background.callsOf('chat.settings.update')).toEqual([{ chatKey: 'o#1', lorebookIds: ['harbour'] }]);
    expect(saved.get('o#1')?.lorebookIds).toEqual(['harbour']);
    expect(checkbox('Harbour').checked).toBe(true);
  });

  it('sets this chat\'s choice for NextChat\'s system prompt, naming the options page\'s', async () => {
    const background = withLibrary();
    keepChatSettings(background);
    mounted = mountFeature(chatLore, { background });
    await vi.waitFor(() => expect(mounted!.section().querySelector('select')).not.toBeNull());
    const select = field<HTMLSelectElement>(mounted.section(), 'NextChat\'s system prompt');
    expect(select.options[0]!.textContent).toBe('As in Troupe\'s options (keep it first)');
    choose(select, 'drop');
    await vi.waitFor(() => expect(status()).toBe('Saved for this chat.'));
    choose(select, '');
    await vi.waitFor(() => expect(background.callsOf('chat.settings.update')).toHaveLength(2));
    expect(background.callsOf('chat.settings.update')).toEqual([{ chatKey: 'o#1', hostSystemMode: 'drop' }, { chatKey: 'o#1', hostSystemMode: null }]);
  });

  it('offers to unbind books no longer in the library', async () => {
    const background = withLibrary();
    keepChatSettings(background, { saved: { 'o#1': { lorebookIds: ['harbour', 'gone'] } } });
    mounted = mountFeature(chatLore, { background });
    await vi.waitFor(() => expect(mounted!.section().querySelector('.warning')?.textContent).toContain('A bound lorebook is no longer in your library.'));
    button(mounted.section(), 'Unbind').click();
    await vi.waitFor(() => expect(background.callsOf('chat.settings.update')).toEqual([{ chatKey: 'o#1', lorebookIds: ['harbour'] }]));
    await vi.waitFor(() => expect(mounted!.section().querySelector('.warning')).toBeNull());
  });

  it('keeps the chat\'s choices when the library cannot be read, and says what failed', async () => {
    const background = fakeBackground();
    background.answer('prompt.settings.get', () => { throw new Error('library unavailable'); });
    keepChatSettings(background);
    mounted = mountFeature(chatLore, { background });
    await vi.waitFor(() => expect(mounted!.section().querySelector('[role="alert"]')?.textContent).toBe('library unavailable'));
    expect(mounted.section().querySelector('select')).not.toBeNull();

    background.answer('chat.settings.update', () => { throw new Error('not saved'); });
    choose(field<HTMLSelectElement>(mounted.section(), 'NextChat\'s system prompt'), 'merge');
    await vi.waitFor(() => expect([...mounted!.section().querySelectorAll('[role="alert"]')].map((a) => a.textContent)).toContain('not saved'));
  });

  it('reads the library again when lorebooks or prompt settings change elsewhere, and stops with its signal', async () => {
    const background = withLibrary();
    keepChatSettings(background);
    mounted = mountFeature(chatLore, { background });
    await vi.waitFor(() => expect(background.callsOf('prompt.settings.get')).toHaveLength(1));
    await kitRevisionItem.setValue(2);
    await vi.waitFor(() => expect(background.callsOf('prompt.settings.get')).toHaveLength(2));
    await expectStopped(mounted, [{ type: 'chat-changed', chatKey: 'o#1' }]);
    await kitRevisionItem.setValue(3);
    expect(background.callsOf('prompt.settings.get')).toHaveLength(2);
  });
});
