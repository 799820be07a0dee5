import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHAT_VIEW_SETTLE_MS, followChatView, readChatView, type ChatViewSnapshot } from './chat-view.ts';

const shell = '<div class="home_container__a1"><div class="home_sidebar__b2"><div id="rows"></div></div><div class="home_window-content__c3" id="app-body"></div></div>';
const chat = '<div class="chat_chat__d4"><div class="chat_chat-body__e5"><div class="chat_chat-message__f6"><div class="markdown-body">Hi</div></div></div><textarea id="chat-input"></textarea></div>';
const row = (id: string, selected: boolean) => `<div class="home_chat-item__g7${selected ? ' home_chat-item-selected__h8' : ''}" data-rfd-draggable-id="${id}"></div>`;

describe('followChatView', () => {
  let doc: Document;
  let seen: ChatViewSnapshot[];
  let abort: AbortController;
  const settle = () => vi.advanceTimersByTimeAsync(CHAT_VIEW_SETTLE_MS + 1);
  const appBody = () => doc.getElementById('app-body')!;
  const rows = () => doc.getElementById('rows')!;

  beforeEach(() => {
    vi.useFakeTimers();
    doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = shell;
    seen = [];
    abort = new AbortController();
    followChatView(doc, (view) => seen.push(view), abort.signal);
  });
  afterEach(() => {
    abort.abort();
    vi.useRealTimers();
  });

  it('reports the shell without a chat at once, then the row born selected and the late chat view', async () => {
    expect(seen).toEqual([{ chatShown: false, rowId: null, chatBody: null }]);
    rows().innerHTML = row('s1', true);
    await settle();
    expect(seen.at(-1)).toMatchObject({ chatShown: false, rowId: 's1' });
    appBody().innerHTML = chat;
    await settle();
    expect(seen.at(-1)).toMatchObject({ chatShown: true, rowId: 's1' });
    expect(seen).toHaveLength(3);
  });

  it('notices selection moving by class changes and a remounted chat view with no sidebar', async () => {
    rows().innerHTML = row('s1', true) + row('s2', false);
    appBody().innerHTML = chat;
    await settle();
    const [first, second] = rows().children;
    first!.className = 'home_chat-item__g7';
    second!.className = 'home_chat-item__g7 home_chat-item-selected__h8';
    await settle();
    expect(seen.at(-1)).toMatchObject({ chatShown: true, rowId: 's2' });

    rows().remove();
    await settle();
    const count = seen.length;
    appBody().innerHTML = chat;
    await settle();
    expect(seen).toHaveLength(count + 1);
    expect(seen.at(-1)).toMatchObject({ chatShown: true, rowId: null });
  });

  it('stays quiet while a reply streams into the same chat, and after the signal aborts', async () => {
    rows().innerHTML = row('s1', true);
    appBody().innerHTML = chat;
    await settle();
    const count = seen.length;
    const text = doc.querySelector('.markdown-body')!;
    for (let i = 0; i < 20; i++) {
      text.insertAdjacentHTML('beforeend', `<p>token ${i}</p>`);
      await vi.advanceTimersByTimeAsync(5);
    }
    await settle();
    expect(seen).toHaveLength(count);
    abort.abort();
    appBody().innerHTML = '';
    await settle();
    expect(seen).toHaveLength(count);
  });
});

describe('readChatView', () => {
  it('needs both the message list and the input to call it a chat', () => {
    const doc = document.implementation.createHTMLDocument('x');
    doc.body.innerHTML = shell;
    doc.getElementById('app-body')!.innerHTML = '<div class="chat_chat-body__e5"></div>';
    expect(readChatView(doc).chatShown).toBe(false);
  });
});
