import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatState } from '../../../messaging/chat-types.ts';
import type { LibraryItem } from '../../../messaging/library-wire.ts';
import { characterList } from './character-list.tsx';
import { BO, button, expectStopped, fakeBackground, MIRA, mountFeature, press, type FakeBackground, type MountedFeature } from '../test-support.ts';

// The list itself comes from the library query the options page shares (client/), which calls the
// background directly: here it reaches the same fake as the feature.
const route = vi.hoisted(() => ({ background: null as FakeBackground | null }));
vi.mock('../../../client/runtime-client.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../client/runtime-client.ts')>()),
  callBackground: ((type, payload) => route.background!.call(type, payload)) satisfies FakeBackground['call'],
  subscribeToBackground: ((onEvent, signal) => route.background!.subscribe(onEvent, signal)) satisfies FakeBackground['subscribe'],
}));

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

const item = (c: typeof MIRA): LibraryItem => ({ id: c.id, name: c.name, excerpt: c.description, tags: [], creator: '', avatar: null, world: '', bookEntries: 0, createdAt: 1, updatedAt: 1 });

/** A library of Mira and Bo, in a background that activates characters as asked. */
function library(): FakeBackground {
  const background = fakeBackground();
  route.background = background;
  background.answer('characters.list', () => [MIRA, BO]);
  background.answer('library.query', () => ({ total: 2, offset: 0, items: [item(MIRA), item(BO)] }));
  background.answer('library.tags', () => []);
  background.answer('chat.activate', ({ chatKey, characterId }): ChatState => ({ chatKey, character: [MIRA, BO].find((c) => c.id === characterId) ?? null, logCount: 0 }));
  return background;
}

const section = () => mounted!.section();

describe('character-list', () => {
  it('lists the library and gives the open chat the character the person picks', async () => {
    const background = library();
    mounted = mountFeature(characterList, { background });
    await press(section, 'Activate Mira');
    await vi.waitFor(() => expect(button(section(), 'Activate Mira').textContent).toBe('Active'));
    expect(button(section(), 'Activate Mira').disabled).toBe(true);
    expect(background.callsOf('chat.activate')).toEqual([{ chatKey: 'o#1', characterId: 'mira' }]);
    expect(mounted.overlay.get().chat?.character).toEqual(MIRA);
  });

  it('offers no activation while no chat is open, and counts the library while closed', async () => {
    const background = library();
    mounted = mountFeature(characterList, { background, chatKey: null });
    await vi.waitFor(() => expect(button(section(), 'Activate Bo').disabled).toBe(true));
    mounted.unmount();
    mounted = mountFeature(characterList, { background, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('2 in the library'));
    background.answer('characters.list', () => [MIRA]);
    background.emit({ type: 'characters-changed' });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('1 in the library'));
  });

  it('opens the full library, and says in its section what failed', async () => {
    const background = library();
    background.answer('library.openManager', () => ({}));
    mounted = mountFeature(characterList, { background });
    await press(section, 'Open the full library');
    await vi.waitFor(() => expect(background.callsOf('library.openManager')).toHaveLength(1));
    background.answer('chat.activate', () => { throw new Error('the chat is gone'); });
    await press(section, 'Activate Bo');
    await vi.waitFor(() => expect(section().querySelector('[role="alert"]')?.textContent).toBe('the chat is gone'));
    mounted.unmount();

    background.answer('characters.list', () => { throw new Error('library locked'); });
    mounted = mountFeature(characterList, { background });
    await vi.waitFor(() => expect(section().textContent).toBe('Characters failed: library lockedTry again'));
  });

  it('stops with its signal', async () => {
    const background = library();
    mounted = mountFeature(characterList, { background });
    await vi.waitFor(() => expect(button(section(), 'Activate Mira')).toBeDefined());
    await expectStopped(mounted, [{ type: 'characters-changed' }, { type: 'reconnected' }]);
  });
});
