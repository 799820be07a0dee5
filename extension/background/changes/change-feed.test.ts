// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { appendChatLog, setActiveCharacter, updateChatSettings } from '../chats/chats.ts';
import { testLibrary, type TestLibrary } from '../library/test-support.ts';
import { promptSettingsItem } from '../prompt-service/global-prompt-settings.ts';
import { DEFAULT_PROMPT_SETTINGS } from '../../messaging/prompt-settings.ts';
import { changeFeedFor, type Change } from './change-feed.ts';
import { writeSetting } from './settings-writes.ts';
import { markWriteOrigin } from './write-origin.ts';
import { UNDO_WINDOW_MS } from '../../messaging/limits/library.ts';

const open: TestLibrary[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) {
    changeFeedFor(t.db).close();
    await t.close();
  }
  fakeBrowser.reset();
});

function heard(t: TestLibrary): Change[] {
  const changes: Change[] = [];
  changeFeedFor(t.db).subscribe((change) => changes.push(change));
  return changes;
}

const summary = (changes: Change[]) => changes.map(({ table, origin, ids, removed }) => ({ table, origin, ids: [...ids].sort(), removed: [...removed].sort() }));

describe('the change feed', () => {
  it('reports each committed write once per table, with the ids it touched and whose write it was', async () => {
    const t = testLibrary();
    open.push(t);
    const changes = heard(t);
    const feed = changeFeedFor(t.db);
    const mira = await t.library.createCharacter({ name: 'Mira', description: 'x', avatar: null });
    expect(summary(changes)).toEqual([{ table: 'characters', origin: 'person', ids: [mira.id], removed: [] }]);
    expect(feed.version('characters')).toBe(1);

    changes.length = 0;
    await setActiveCharacter(t.db, 'o#a', mira.id);
    await updateChatSettings(t.db, 'o#a', { greetingIndex: 1 });
    await appendChatLog(t.db, { chatKey: 'o#a', characterId: mira.id, userText: 'hi', replyText: 'hello', status: 'done' });
    expect(summary(changes)).toEqual([
      { table: 'chats', origin: 'person', ids: ['o#a'], removed: [] },
      { table: 'chats', origin: 'person', ids: ['o#a'], removed: [] },
      { table: 'chatLog', origin: 'reply', ids: ['o#a'], removed: [] },
      { table: 'chats', origin: 'reply', ids: ['o#a'], removed: [] },
    ]);
    expect([feed.version('chats'), feed.version('chatLog'), feed.version('lorebooks')]).toEqual([3, 1, 0]);
  });

  it('says nothing for a transaction that did not commit', async () => {
    const t = testLibrary();
    open.push(t);
    const changes = heard(t);
    await expect(t.db.transaction('rw', t.db.chats, async () => {
      await t.db.chats.put({ chatKey: 'o#b', characterId: null, updatedAt: 1 });
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(changes).toEqual([]);
    expect(await t.db.chats.get('o#b')).toBeUndefined();
  });

  it('marks sync\'s writes and the prompt service\'s bookkeeping as theirs', async () => {
    const t = testLibrary();
    open.push(t);
    const changes = heard(t);
    await t.db.transaction('rw', t.db.chats, async () => {
      markWriteOrigin('prompt-state');
      await t.db.chats.put({ chatKey: 'o#c', characterId: null, updatedAt: 1 });
    });
    await t.db.transaction('rw', t.db.chats, async () => {
      markWriteOrigin('sync');
      await t.db.chats.put({ chatKey: 'o#d', characterId: null, updatedAt: 1 });
    });
    expect(summary(changes).map((c) => c.origin)).toEqual(['prompt-state', 'sync']);
  });

  it('reports a purge: the row removed and the tombstone with its kind', async () => {
    const t = testLibrary();
    open.push(t);
    const book = await t.library.createLorebook('Harbour');
    const changes = heard(t);
    await t.library.remove('lorebook', book.id);
    expect(summary(changes)).toEqual([{ table: 'lorebooks', origin: 'person', ids: [book.id], removed: [] }]);
    changes.length = 0;
    t.clock.now += UNDO_WINDOW_MS + 1;
    expect(await t.library.purgeExpired()).toBe(1);
    expect(summary(changes)).toEqual([
      { table: 'lorebooks', origin: 'person', ids: [], removed: [book.id] },
      { table: 'tombstones', origin: 'person', ids: [book.id], removed: [] },
    ]);
    expect(changes[1]!.kinds?.get(book.id)).toBe('lorebook');
  });

  it('hears a settings write the moment it lands', async () => {
    const t = testLibrary();
    open.push(t);
    const changes = heard(t);
    await writeSetting(promptSettingsItem, { ...DEFAULT_PROMPT_SETTINGS, contextSize: 8_192 });
    expect(summary(changes)).toEqual([{ table: 'settings', origin: 'person', ids: ['local:prompt.settings'], removed: [] }]);
    expect(changeFeedFor(t.db).version('settings')).toBe(1);
  });

  it('keeps delivering to the others when one subscriber throws, and stops a subscriber whose signal aborts', async () => {
    const t = testLibrary();
    open.push(t);
    const feed = changeFeedFor(t.db);
    const quiet = new AbortController();
    const late: string[] = [];
    feed.subscribe(() => { throw new Error('buggy subscriber'); });
    feed.subscribe((change) => late.push(change.table), quiet.signal);
    const errors = console.error;
    console.error = () => {};
    try {
      await t.library.createCharacter({ name: 'Bo', description: '', avatar: null });
      quiet.abort();
      await t.library.createCharacter({ name: 'Cy', description: '', avatar: null });
    } finally {
      console.error = errors;
    }
    expect(late).toEqual(['characters']);
  });

  it('is one feed per database', () => {
    const t = testLibrary();
    open.push(t);
    expect(changeFeedFor(t.db)).toBe(changeFeedFor(t.db));
  });
});
