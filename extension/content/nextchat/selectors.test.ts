import { describe, expect, it } from 'vitest';
import { loadNextChatFixture } from './fixture-page.ts';
import { SELECTORS } from './selectors.ts';
import { isNextChatApp, missingLandmarks } from './detect.ts';
import { readChatView } from './chat-view.ts';
import { sessionIdFromDom } from './session.ts';
import { isReplyRow, isUserRow, openingRows, readMessageRows } from './message-rows.ts';
import { nextChatTheme } from './theme.ts';

const FIRST_USER_TEXT = {
  'chat-after-one-reply': 'Hello NextChat, please introduce yourself.',
  'chat-with-builtin-mask': 'What is your name?',
} as const;

describe.each(['chat-after-one-reply', 'chat-with-builtin-mask'] as const)('selectors on the saved page %s', (name) => {
  const doc = loadNextChatFixture(name);

  it('finds every landmark exactly where NextChat puts it', () => {
    expect(doc.querySelectorAll(SELECTORS.input)).toHaveLength(1);
    expect(doc.querySelectorAll(SELECTORS.sendButton)).toHaveLength(1);
    expect(doc.querySelectorAll(SELECTORS.chatBody)).toHaveLength(1);
    expect(doc.querySelectorAll(SELECTORS.inputPanel)).toHaveLength(1);
    expect(doc.querySelectorAll(SELECTORS.appBody)).toHaveLength(1);
    expect(doc.querySelector(SELECTORS.inputPanel)?.contains(doc.querySelector(SELECTORS.sendButton))).toBe(true);
    expect(doc.querySelector(SELECTORS.title)?.textContent?.length).toBeGreaterThan(0);
  });

  it('tells bot rows from user rows and reads their text', () => {
    const body = doc.querySelector(SELECTORS.chatBody)!;
    const users = body.querySelectorAll(SELECTORS.userRow);
    const bots = body.querySelectorAll(SELECTORS.botRow);
    expect(users.length).toBeGreaterThanOrEqual(1);
    expect(bots.length).toBeGreaterThanOrEqual(2);
    // The bot-row prefix must not also match user rows (`chat_chat-message-user__` shares the stem).
    for (const row of bots) expect(row.matches(SELECTORS.userRow)).toBe(false);
    expect(users[0]!.querySelector(SELECTORS.messageText)?.textContent).toBe(FIRST_USER_TEXT[name]);
  });

  it('finds one message header in every bot and user row', () => {
    const rows = doc.querySelectorAll(`${SELECTORS.botRow}, ${SELECTORS.userRow}`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(row.querySelectorAll(SELECTORS.messageHeader)).toHaveLength(1);
    expect(doc.querySelectorAll(SELECTORS.messageHeader)).toHaveLength(rows.length);
  });

  it('splits the message list at the person\'s first message: NextChat\'s own rows before it, replies after', () => {
    const list = readMessageRows(doc);
    expect(list.rows).toHaveLength(doc.querySelectorAll(`${SELECTORS.botRow}, ${SELECTORS.userRow}`).length);
    expect(list.rows[list.firstUser]!.querySelector(SELECTORS.messageText)?.textContent).toBe(FIRST_USER_TEXT[name]);
    const opening = openingRows(list);
    expect(opening.length).toBeGreaterThanOrEqual(1);
    expect(opening.some(isUserRow)).toBe(false);
    // NextChat dates its greeting and the mask's context rows "Contextual Prompt".
    expect(opening[0]!.querySelector(SELECTORS.messageDate)?.textContent).toBe('Contextual Prompt');
    const replies = list.rows.filter((_row, index) => isReplyRow(list, index));
    expect(replies.length).toBeGreaterThanOrEqual(1);
    expect(replies.every((row) => row.matches(SELECTORS.botRow))).toBe(true);
    // A sent message and its reply carry NextChat's actions (Retry, Copy…); its own opening rows do not.
    expect(replies.every((row) => row.querySelector(SELECTORS.messageActions))).toBe(true);
    expect(opening.some((row) => row.querySelector(SELECTORS.messageActions))).toBe(false);
  });

  it('reads NextChat\'s theme from <body> (these pages were saved on auto, which follows the system)', () => {
    expect(doc.querySelector(SELECTORS.darkTheme)).toBeNull();
    expect(doc.querySelector(SELECTORS.lightTheme)).toBeNull();
    expect(nextChatTheme(doc, true)).toBe('dark');
    doc.body.classList.add('light');
    expect(nextChatTheme(doc, true)).toBe('light');
    doc.body.classList.remove('light');
  });

  it('recognises the page as NextChat and reads the selected session id', () => {
    expect(isNextChatApp(doc)).toBe(true);
    expect(readChatView(doc).chatShown).toBe(true);
    expect(missingLandmarks(doc)).toEqual([]);
    expect(sessionIdFromDom(doc)).toMatch(/^[\w-]{10,}$/);
  });
});

describe('detection on other routes and pages', () => {
  it('recognises NextChat on its settings route, where no chat is shown', () => {
    const doc = document.implementation.createHTMLDocument('settings');
    doc.body.innerHTML = '<div class="home_container__ab1"><div class="home_sidebar__x"></div><div class="home_window-content__y" id="app-body"><div class="settings">…</div></div></div>';
    expect(isNextChatApp(doc)).toBe(true);
    expect(readChatView(doc).chatShown).toBe(false);
  });

  it('does not take a plain page with a textarea for NextChat', () => {
    const doc = document.implementation.createHTMLDocument('plain');
    doc.body.innerHTML = '<textarea id="chat-input"></textarea><button>Send</button>';
    expect(isNextChatApp(doc)).toBe(false);
    expect(readChatView(doc).chatShown).toBe(false);
    expect(missingLandmarks(doc)).toEqual(['sendButton', 'chatBody', 'inputPanel']);
    expect(sessionIdFromDom(doc)).toBeNull();
  });
});
