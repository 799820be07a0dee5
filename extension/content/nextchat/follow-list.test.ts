import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followMessageList } from './follow-list.ts';
import { afterDelivery } from './test-support.ts';

const row = (kind: 'message' | 'message-user', text: string) => `<div class="chat_chat-${kind}__a"><div class="chat_chat-message-container__b"><div class="chat_chat-message-header__c"></div><div class="chat_chat-message-item__d"><div class="markdown-body">${text}</div></div></div></div>`;

describe('followMessageList', () => {
  let doc: Document;
  let abort: AbortController;
  let syncs: number;
  let undone: number;
  const body = () => doc.querySelector('[class*="chat_chat-body__"]')!;

  beforeEach(async () => {
    doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = `<div id="app-body"><div class="chat_chat-body__x">${row('message', 'Hello!')}</div></div>`;
    abort = new AbortController();
    syncs = 0;
    undone = 0;
    followMessageList(doc, () => { syncs += 1; }, (record) => record.addedNodes.length > 0 && [...record.addedNodes].every((n) => n instanceof Element && n.classList.contains('ours')), () => { undone += 1; }, abort.signal);
    await afterDelivery(doc, () => doc.body.setAttribute('data-start', ''));
  });
  afterEach(() => abort.abort());

  it('passes once at the start, then for rows coming, changing kind or moving, and for a remounted list', async () => {
    expect(syncs).toBe(1);
    await afterDelivery(doc, () => body().insertAdjacentHTML('beforeend', row('message-user', 'Hi')));
    expect(syncs).toBe(2);
    await afterDelivery(doc, () => { body().lastElementChild!.className = 'chat_chat-message__a'; });
    expect(syncs).toBe(3);
    await afterDelivery(doc, () => body().prepend(body().lastElementChild!));
    expect(syncs).toBe(4);
    await afterDelivery(doc, () => { doc.getElementById('app-body')!.innerHTML = `<div class="chat_chat-body__x">${row('message', 'Another chat')}</div>`; });
    expect(syncs).toBe(5);
  });

  it('ignores the text NextChat streams into a message, and changes Troupe made itself', async () => {
    const text = body().querySelector('.markdown-body')!;
    for (let i = 0; i < 5; i++) await afterDelivery(doc, () => text.insertAdjacentHTML('beforeend', `<p>token ${i}</p>`));
    await afterDelivery(doc, () => body().querySelector('[class*="chat_chat-message-header__"]')!.insertAdjacentHTML('beforeend', '<span class="ours"></span>'));
    expect(syncs).toBe(1);
  });

  it('undoes its work once when its signal aborts, and passes no more', async () => {
    abort.abort();
    expect(undone).toBe(1);
    await afterDelivery(doc, () => body().insertAdjacentHTML('beforeend', row('message-user', 'Hi')));
    expect(syncs).toBe(1);
  });
});
