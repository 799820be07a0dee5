import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { SESSION_RECORD_REFRESH_MS, SESSION_STORE_RETRY_MS } from '../../messaging/limits/general.ts';
import { CHAT_VIEW_SETTLE_MS } from './chat-view.ts';
import { followOpenSession, SessionMismatchError, type OpenSession, type SessionView } from './open-session.ts';
import { seedNextChatStore, storeJson } from './test-support.ts';

const shell = '<div class="home_container__a1"><div class="home_sidebar__b2"><div id="rows"></div></div><div class="home_window-content__c3" id="app-body"></div></div>';
const chat = '<div class="chat_chat__d4"><div class="chat_chat-body__e5"></div><div class="chat_chat-input-panel__p"><textarea id="chat-input"></textarea><button class="chat_chat-input-send__q">Send</button></div></div>';
const row = (id: string, selected: boolean) => `<div class="home_chat-item__g7${selected ? ' home_chat-item-selected__h8' : ''}" data-rfd-draggable-id="${id}"></div>`;

describe('followOpenSession', () => {
  let doc: Document;
  let idb: IDBFactory;
  let views: SessionView[];
  let abort: AbortController;
  let session: OpenSession;
  const start = () => { session = followOpenSession(doc, idb, (view) => views.push(view), abort.signal); };
  const last = () => views.at(-1);

  beforeEach(() => {
    doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = shell;
    idb = new IDBFactory();
    views = [];
    abort = new AbortController();
  });
  afterEach(() => abort.abort());

  it('knows the chat from the selected row, once the chat view mounts (late, as NextChat does)', async () => {
    await seedNextChatStore(storeJson([{ id: 's1' }], 0), idb);
    start();
    await vi.waitFor(() => expect(last()).toEqual({ chatShown: false, sessionId: null, missingLandmarks: [] }));
    doc.getElementById('rows')!.innerHTML = row('s1', true);
    doc.getElementById('app-body')!.innerHTML = chat;
    await vi.waitFor(() => expect(last()).toEqual({ chatShown: true, sessionId: 's1', missingLandmarks: [] }));
    expect(session.agreedNow()).toBe('s1');
    expect(await session.forRequest()).toBe('s1');
  });

  it('refuses a request when the sidebar names a chat NextChat\'s store does not have open', async () => {
    await seedNextChatStore(storeJson([{ id: 's1' }, { id: 's2' }], 0), idb);
    doc.getElementById('rows')!.innerHTML = row('s1', true);
    doc.getElementById('app-body')!.innerHTML = chat;
    start();
    await vi.waitFor(() => expect(last()?.sessionId).toBe('s1'));
    // A page script relabels the selected row.
    doc.querySelector('[data-rfd-draggable-id]')!.setAttribute('data-rfd-draggable-id', 's2');
    expect(session.agreedNow()).toBeUndefined();
    await expect(session.forRequest()).rejects.toBeInstanceOf(SessionMismatchError);
  });

  it('with no sidebar (narrow layout) reads NextChat\'s store, asking again until NextChat has written it', async () => {
    doc.querySelector('[class*="home_sidebar__"]')!.remove();
    doc.getElementById('app-body')!.innerHTML = chat;
    start();
    await vi.waitFor(() => expect(last()).toMatchObject({ chatShown: true, sessionId: null }));
    await seedNextChatStore(storeJson([{ id: 'first' }, { id: 'second' }], 1), idb);
    await vi.waitFor(() => expect(last()).toMatchObject({ chatShown: true, sessionId: 'second' }));
    expect(session.agreedNow()).toBeUndefined();
    expect(await session.forRequest()).toBe('second');
  });

  it('says which landmarks a chat view lacks, and reports nothing after its signal aborts', async () => {
    doc.getElementById('rows')!.innerHTML = row('s1', true);
    doc.getElementById('app-body')!.innerHTML = '<div class="chat_chat-body__e5"></div><textarea id="chat-input"></textarea>';
    start();
    await vi.waitFor(() => expect(last()).toEqual({ chatShown: true, sessionId: 's1', missingLandmarks: ['sendButton', 'inputPanel'] }));
    abort.abort();
    const count = views.length;
    vi.useFakeTimers();
    try {
      doc.getElementById('rows')!.innerHTML = row('s2', true);
      doc.getElementById('app-body')!.innerHTML = chat;
      await vi.advanceTimersByTimeAsync(CHAT_VIEW_SETTLE_MS + SESSION_STORE_RETRY_MS);
      expect(views).toHaveLength(count);
    } finally {
      vi.useRealTimers();
    }
  });
  it('keeps the open chat\'s messages from each read of NextChat\'s store, and reads again after a burst of refresh calls', async () => {
    const stored = (texts: string[]) => storeJson([{ id: 's1', messages: texts.map((content, i) => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', content })) } as { id: string }], 0);
    await seedNextChatStore(stored(['Hello', 'Ahoy']), idb);
    doc.getElementById('rows')!.innerHTML = row('s1', true);
    doc.getElementById('app-body')!.innerHTML = chat;
    start();
    await vi.waitFor(() => expect(session.recordNow('s1')?.messages).toEqual([{ id: 'm0', role: 'user', text: 'Hello' }, { id: 'm1', role: 'assistant', text: 'Ahoy' }]));
    expect(session.recordNow('s2')).toBeUndefined();
    await seedNextChatStore(stored(['Hello (edited)', 'Ahoy']), idb);
    expect((await session.readRecord('s1'))?.messages[0]).toEqual({ id: 'm0', role: 'user', text: 'Hello (edited)' });
    await seedNextChatStore(stored(['Hello (edited)', 'Ahoy', 'More']), idb);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      session.refresh();
      session.refresh();
      expect(session.recordNow('s1')?.messages).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(SESSION_RECORD_REFRESH_MS);
    } finally {
      vi.useRealTimers();
    }
    await vi.waitFor(() => expect(session.recordNow('s1')?.messages).toHaveLength(3));
  });
});
