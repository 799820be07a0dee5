import { describe, expect, it } from 'vitest';
import { readStoreJson, sessionIdFromDom, sessionIdFromStoreJson } from './session.ts';
import { seedNextChatStore, storeJson } from './test-support.ts';

describe('sessionIdFromStoreJson', () => {
  it('reads the current session id from NextChat\'s persisted store', () => {
    expect(sessionIdFromStoreJson(storeJson([{ id: 'a1' }, { id: 'b2' }], 1))).toBe('b2');
  });
  it.each([
    ['not a string', 42],
    ['broken JSON', '{"state":'],
    ['index out of range', storeJson([{ id: 'a1' }], 3)],
    ['no state', '{"version":1}'],
    ['empty id', storeJson([{ id: '' }], 0)],
  ])('returns null for %s', (_name, value) => {
    expect(sessionIdFromStoreJson(value)).toBeNull();
  });
});

describe('readStoreJson', () => {
  it('reads NextChat\'s chat store from the page origin\'s IndexedDB', async () => {
    await seedNextChatStore(storeJson([{ id: 'first' }, { id: 'second' }], 0));
    expect(await readStoreJson(indexedDB)).toContain('"first"');
  });
});

describe('sessionIdFromDom', () => {
  it('reads the selected sidebar row', () => {
    const doc = document.implementation.createHTMLDocument('wide');
    doc.body.innerHTML = '<div class="home_chat-item__x" data-rfd-draggable-id="s-1"></div><div class="home_chat-item__x home_chat-item-selected__y" data-rfd-draggable-id="s-2"></div>';
    expect(sessionIdFromDom(doc)).toBe('s-2');
  });
});
