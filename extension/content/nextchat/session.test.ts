import { describe, expect, it } from 'vitest';
import { currentSessionId, NEXTCHAT_IDB, readStoreJson, sessionIdFromStoreJson } from './session.ts';

const store = (sessions: { id: string }[], index: number) => JSON.stringify({ state: { sessions, currentSessionIndex: index }, version: 3.3 });

function seedNextChatIdb(value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(NEXTCHAT_IDB.database, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(NEXTCHAT_IDB.store);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(NEXTCHAT_IDB.store, 'readwrite');
      tx.objectStore(NEXTCHAT_IDB.store).put(value, NEXTCHAT_IDB.chatKey);
      tx.oncomplete = () => { open.result.close(); resolve(); };
    };
  });
}

describe('sessionIdFromStoreJson', () => {
  it('reads the current session id from NextChat\'s persisted store', () => {
    expect(sessionIdFromStoreJson(store([{ id: 'a1' }, { id: 'b2' }], 1))).toBe('b2');
  });
  it.each([
    ['not a string', 42],
    ['broken JSON', '{"state":'],
    ['index out of range', store([{ id: 'a1' }], 3)],
    ['no state', '{"version":1}'],
    ['empty id', store([{ id: '' }], 0)],
  ])('returns null for %s', (_name, value) => {
    expect(sessionIdFromStoreJson(value)).toBeNull();
  });
});

describe('currentSessionId', () => {
  it('falls back to NextChat\'s IndexedDB store when the sidebar is hidden', async () => {
    await seedNextChatIdb(store([{ id: 'first' }, { id: 'second' }], 0));
    expect(await readStoreJson(indexedDB)).toContain('"first"');
    const doc = document.implementation.createHTMLDocument('narrow');
    expect(await currentSessionId(doc, indexedDB)).toBe('first');
  });

  it('prefers the selected sidebar row', async () => {
    const doc = document.implementation.createHTMLDocument('wide');
    doc.body.innerHTML = '<div class="home_chat-item__x" data-rfd-draggable-id="s-1"></div><div class="home_chat-item__x home_chat-item-selected__y" data-rfd-draggable-id="s-2"></div>';
    expect(await currentSessionId(doc, indexedDB)).toBe('s-2');
  });
});
