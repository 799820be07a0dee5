import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import type { ChatState } from '../../messaging/chat-types.ts';
import type { CharacterSummary } from '../../messaging/library-wire.ts';
import { seedNextChatStore, storeJson } from '../nextchat/test-support.ts';
import { activateCharacter, followOpenChat, type ChatKeys } from './open-chat.ts';
import { INITIAL_OVERLAY_STATE, type OverlayState } from './overlay-state.ts';
import { createStore, type Store } from './store.ts';
import { fakeBackground, idleLikeABrowser, type FakeBackground } from './test-support.ts';

const MIRA: CharacterSummary = { id: 'mira', name: 'Mira', description: '', avatar: null, updatedAt: 1 };
const ORIGIN = 'http://127.0.0.1:3000';
const chatView = '<div class="chat_chat-body__e5"></div><div class="chat_chat-input-panel__p"><textarea id="chat-input"></textarea><button class="chat_chat-input-send__q">Send</button></div>';
const row = (id: string) => `<div class="home_chat-item__g7 home_chat-item-selected__h8" data-rfd-draggable-id="${id}"></div>`;

describe('followOpenChat', () => {
  let doc: Document;
  let idb: IDBFactory;
  let state: Store<OverlayState>;
  let background: FakeBackground;
  let abort: AbortController;
  let chats: ChatKeys;
  let errors: unknown[];
  const show = (sessionId: string) => {
    doc.getElementById('rows')!.innerHTML = row(sessionId);
    doc.getElementById('app-body')!.innerHTML = chatView;
  };

  beforeEach(async () => {
    idleLikeABrowser();
    doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = '<div class="home_container__a1"><div id="rows"></div><div id="app-body"></div></div>';
    idb = new IDBFactory();
    await seedNextChatStore(storeJson([{ id: 's1' }, { id: 's2' }], 0), idb);
    state = createStore<OverlayState>({ ...INITIAL_OVERLAY_STATE, site: 'confirmed' });
    background = fakeBackground();
    background.answer('chat.get', ({ chatKey }): ChatState => ({ chatKey, character: chatKey.endsWith('#s1') ? MIRA : null, logCount: 2 }));
    abort = new AbortController();
    errors = [];
    chats = followOpenChat({ doc, idb, origin: ORIGIN, state, call: background.call, subscribe: background.subscribe, report: (e) => errors.push(e), signal: abort.signal });
  });
  afterEach(() => abort.abort());

  it('knows the chat NextChat opens, once its view mounts, and what the background knows of it', async () => {
    expect(state.get()).toMatchObject({ chatKey: null, chat: null });
    show('s1');
    await vi.waitFor(() => expect(state.get().chat).toEqual({ chatKey: `${ORIGIN}#s1`, character: MIRA, logCount: 2 }));
    expect(state.get().missingLandmarks).toEqual([]);
    expect(await chats.forRequest()).toBe(`${ORIGIN}#s1`);
    expect(chats.agreedNow()).toBe(`${ORIGIN}#s1`);
  });

  it('follows a switch to another chat, and a chat with no view (the mask picker)', async () => {
    show('s1');
    await vi.waitFor(() => expect(state.get().chat?.character).toEqual(MIRA));
    show('s2');
    await vi.waitFor(() => expect(state.get().chatKey).toBe(`${ORIGIN}#s2`));
    await vi.waitFor(() => expect(state.get().chat).toEqual({ chatKey: `${ORIGIN}#s2`, character: null, logCount: 2 }));
    doc.getElementById('app-body')!.innerHTML = '<div class="new-chat"></div>';
    await vi.waitFor(() => expect(state.get()).toMatchObject({ chatKey: null, chat: null }));
    expect(errors).toEqual([]);
  });

  it('reads the chat again when the background says it changed or restarted, and counts saved replies', async () => {
    show('s1');
    await vi.waitFor(() => expect(state.get().chat).not.toBeNull());
    background.emit({ type: 'chat-changed', chatKey: `${ORIGIN}#s2` });
    expect(background.callsOf('chat.get')).toHaveLength(1);
    background.emit({ type: 'chat-changed', chatKey: `${ORIGIN}#s1` });
    expect(background.callsOf('chat.get')).toHaveLength(2);
    background.emit({ type: 'reconnected' });
    await vi.waitFor(() => expect(background.callsOf('chat.get')).toHaveLength(3));
    background.emit({ type: 'reply-saved', chatKey: `${ORIGIN}#s1`, logCount: 5 });
    background.emit({ type: 'reply-saved', chatKey: `${ORIGIN}#s1`, logCount: 4 });
    await vi.waitFor(() => expect(state.get().chat?.logCount).toBe(5));
  });

  it('gives the open chat a character through the background, and stops with its signal', async () => {
    background.answer('chat.activate', ({ chatKey, characterId }) => ({ chatKey, character: characterId ? MIRA : null, logCount: 0 }));
    await expect(activateCharacter(state, background.call, 'mira')).rejects.toThrow('Troupe cannot tell which NextChat chat is open');
    show('s2');
    await vi.waitFor(() => expect(state.get().chat).not.toBeNull());
    await activateCharacter(state, background.call, 'mira');
    expect(state.get().chat?.character).toEqual(MIRA);
    abort.abort();
    expect(background.listeners()).toBe(0);
  });
});
