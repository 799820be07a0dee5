// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { testDbs } from '../db/test-db.ts';
import { libraryFor } from '../library/library.ts';
import type { RuntimeEvent } from '../../messaging/ports.ts';
import { chatHandlers } from './chat-handlers.ts';

const freshDb = testDbs('chat-handlers');
afterEach(() => fakeBrowser.reset());

function setup() {
  const db = freshDb();
  const events: RuntimeEvent[] = [];
  return { db, events, handlers: chatHandlers(db, (e) => events.push(e)) };
}

describe('chat settings handlers', () => {
  it('saves a chat persona and the default persona, announces the change and lists the greetings', async () => {
    const { db, events, handlers } = setup();
    const mira = await libraryFor(db).createCharacter({ name: 'Mira', description: 'x', avatar: null });
    await handlers['chat.activate']({ chatKey: 'o#a', characterId: mira.id });
    const view = await handlers['chat.settings.update']({ chatKey: 'o#a', persona: { name: 'Ann', description: '' }, defaultPersona: { name: 'Bo', description: 'd' } });
    expect(view.settings.persona).toEqual({ name: 'Ann', description: '' });
    expect(view.defaultPersona).toEqual({ name: 'Bo', description: 'd' });
    expect(view.greetings).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'chat-changed', chatKey: 'o#a' });
    const other = await handlers['chat.settings.get']({ chatKey: 'o#b' });
    expect(other).toMatchObject({ chatKey: 'o#b', defaultPersona: { name: 'Bo', description: 'd' }, greetings: [] });
    expect(other.settings.persona).toBeNull();
  });

  it('binds library lorebooks to a chat, drops ids the library no longer has and announces the change', async () => {
    const { db, events, handlers } = setup();
    const book = await libraryFor(db).createLorebook('Harbour');
    const view = await handlers['chat.settings.update']({ chatKey: 'o#a', lorebookIds: ['gone', book.id], hostSystemMode: 'keep' });
    expect(view.settings).toMatchObject({ lorebookIds: [book.id], hostSystemMode: 'keep' });
    expect(events.at(-1)).toEqual({ type: 'chat-changed', chatKey: 'o#a' });
    expect((await handlers['chat.settings.get']({ chatKey: 'o#a' })).settings.lorebookIds).toEqual([book.id]);
  });
});
