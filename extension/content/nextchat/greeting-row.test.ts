import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncGreetingRow, type GreetingView } from './greeting-row.ts';
import { GREETING_ROW_ATTRIBUTE } from './message-rows.ts';

const botRow = (text: string) => `<div class="chat_chat-message__a1"><div class="chat_chat-message-container__b"><div class="chat_chat-message-header__c"><div class="chat_chat-message-actions__d">Copy</div></div><div class="chat_chat-message-item__e"><div class="markdown-body">${text}</div></div><div class="chat_chat-message-action-date__f">Contextual Prompt</div></div></div>`;
const userRow = (text: string) => `<div class="chat_chat-message-user__g"><div class="chat_chat-message-container__b"><div class="chat_chat-message-header__c"></div><div class="chat_chat-message-item__e"><div class="markdown-body">${text}</div></div></div></div>`;

describe('syncGreetingRow', () => {
  let doc: Document;
  let swiped: number[];
  const view = (over: Partial<GreetingView> = {}): GreetingView => ({
    character: { name: 'Mira', avatar: null }, text: 'Welcome, Ann.', index: 0, count: 2, canSwipe: true, onSwipe: (n) => swiped.push(n), ...over,
  });
  const body = () => doc.querySelector('[class*="chat_chat-body__"]')!;
  const shownTexts = () => [...body().children].filter((r) => (r as HTMLElement).style.display !== 'none').map((r) => r.querySelector('.markdown-body')!.textContent);

  beforeEach(() => {
    doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = `<div class="chat_chat-body__x">${botRow('Hello! How can I assist you today?')}</div>`;
    swiped = [];
  });
  afterEach(() => syncGreetingRow(doc, null));

  it('stands in for NextChat\'s hello, looking like it, with the character\'s name and no NextChat actions', () => {
    syncGreetingRow(doc, view());
    expect(shownTexts()).toEqual(['Welcome, Ann.']);
    const ours = body().querySelector(`[${GREETING_ROW_ATTRIBUTE}]`)!;
    expect(ours.className).toBe('chat_chat-message__a1');
    expect(ours.querySelector('[aria-label="Reply by Mira"]')).not.toBeNull();
    expect(ours.querySelector('[class*="chat_chat-message-actions__"]')).toBeNull();
    syncGreetingRow(doc, view());
    expect(body().querySelectorAll(`[${GREETING_ROW_ATTRIBUTE}]`)).toHaveLength(1);
  });

  it('stays first when the person answers, and gives NextChat its hello back when the character leaves', () => {
    syncGreetingRow(doc, view());
    body().insertAdjacentHTML('beforeend', userRow('Hi') + botRow('Reply'));
    syncGreetingRow(doc, view({ canSwipe: false }));
    expect(shownTexts()).toEqual(['Welcome, Ann.', 'Hi', 'Reply']);
    expect(body().querySelector('.troupe-swipe')).toBeNull();
    syncGreetingRow(doc, null);
    expect(shownTexts()).toEqual(['Hello! How can I assist you today?', 'Hi', 'Reply']);
    expect(body().querySelector(`[${GREETING_ROW_ATTRIBUTE}]`)).toBeNull();
  });

  it('swipes through the alternates with its own buttons (trusted clicks only)', () => {
    syncGreetingRow(doc, view({ index: 1, count: 3 }));
    const next = body().querySelector<HTMLButtonElement>('button[aria-label="Next greeting"]')!;
    expect(body().querySelector('.troupe-swipe-position')!.textContent).toBe('2 of 3');
    next.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(swiped).toEqual([]);
    const trusted = new MouseEvent('click', { bubbles: true });
    Object.defineProperty(trusted, 'isTrusted', { value: true });
    next.dispatchEvent(trusted);
    expect(swiped).toEqual([2]);
  });

  it('shows nothing when NextChat shows a later part of a long chat (no row before the first user message)', () => {
    body().innerHTML = userRow('Message 31') + botRow('Reply 31');
    syncGreetingRow(doc, view());
    expect(body().querySelector(`[${GREETING_ROW_ATTRIBUTE}]`)).toBeNull();
  });
});
