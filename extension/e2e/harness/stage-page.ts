/**
 * Playwright helpers for driving a NextChat page (the stage double or a real NextChat) as a user
 * would, and for reading NextChat's persisted state. Selectors match class-name prefixes only.
 */
import type { Locator, Page } from 'playwright-core';

/** NextChat v2.16 landmarks, by stable class-name prefix (kept here so the harness does not depend on product code). */
export const NC = {
  appBody: '#app-body',
  input: 'textarea#chat-input',
  send: 'button[class*="chat_chat-input-send__"]',
  chatBody: '[class*="chat_chat-body__"]',
  inputPanel: '[class*="chat_chat-input-panel__"]',
  botRow: '[class*="chat_chat-message__"]',
  userRow: '[class*="chat_chat-message-user__"]',
  anyRow: '[class*="chat_chat-message__"], [class*="chat_chat-message-user__"]',
  text: '[class*="chat_chat-message-item__"] .markdown-body',
  status: '[class*="chat_chat-message-status__"]',
  title: '.window-header-main-title',
  sessionItem: '[class*="home_chat-item__"]',
  selectedSession: '[class*="home_chat-item-selected__"]',
  newChat: 'button:has([aria-label="New Chat"])',
  /** The mask picker's "Just Start" button (`#/new-chat`). */
  justStart: 'button:has([aria-label="Just Start"])',
} as const;

/** A message as NextChat persists it. */
export interface PersistedMessage {
  id: string;
  date: string;
  role: string;
  content: string | Array<{ type: string; text?: string }>;
  streaming?: boolean;
  isError?: boolean;
  model?: string;
}

/** A session as NextChat persists it (with a full copy of its mask). */
export interface PersistedSession {
  id: string;
  topic: string;
  memoryPrompt: string;
  messages: PersistedMessage[];
  lastUpdate: number;
  mask: {
    id: string;
    name: string;
    context: PersistedMessage[];
    modelConfig: { model: string; temperature: number; historyMessageCount: number; [key: string]: unknown };
  };
}

/** The `chat-next-web-store` value after JSON.parse. */
export interface PersistedChatStore {
  state: { sessions: PersistedSession[]; currentSessionIndex: number };
  version: number;
}

/**
 * Opens a NextChat page and waits until its chat input is shown in the document that stays: on a first
 * visit NextChat reloads itself once when its service worker installs, and only a document loaded
 * under that worker is the one a user goes on with.
 */
export async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForSettledChat(page);
}

/** Waits for the chat input in a page NextChat will not reload by itself any more. */
export async function waitForSettledChat(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null && document.querySelector('textarea#chat-input') !== null);
}

/** New Chat, then "Just Start" on the mask picker: NextChat's way to a fresh empty chat. */
export async function startNewChat(page: Page): Promise<void> {
  await page.locator(NC.newChat).click();
  await page.locator(NC.justStart).click();
  await page.locator(NC.input).waitFor();
}

/** Types into the chat input with real key presses and clicks Send. */
export async function typeAndSend(page: Page, text: string): Promise<void> {
  await page.locator(NC.input).click();
  await page.keyboard.type(text);
  await page.locator(NC.send).click();
}

/** The last bot row's text element. */
export function lastBotText(page: Page): Locator {
  return page.locator(NC.botRow).last().locator(NC.text);
}

/**
 * Reads one idb-keyval value of the page's origin (`keyval-store` / `keyval`), as NextChat stores it:
 * undefined when the database, store or key is missing.
 */
export async function readIdbValue(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (k) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onupgradeneeded = () => {
          open.transaction?.abort();
          resolve(undefined);
        };
        open.onerror = () => resolve(undefined);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('keyval')) {
            db.close();
            resolve(undefined);
            return;
          }
          const get = db.transaction('keyval', 'readonly').objectStore('keyval').get(k);
          get.onsuccess = () => {
            db.close();
            resolve(get.result);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

/** NextChat's persisted chat store, parsed; undefined when absent. */
export async function readChatStore(page: Page): Promise<PersistedChatStore | undefined> {
  const raw = await readIdbValue(page, 'chat-next-web-store');
  return typeof raw === 'string' ? (JSON.parse(raw) as PersistedChatStore) : undefined;
}

/** What the stage page handed to window.fetch, in order (stage double only: real NextChat keeps no such list). */
export async function readSentByPage(page: Page): Promise<Array<{ url: string; body: string }>> {
  return page.evaluate(() => (window as unknown as { __stageSent?: Array<{ url: string; body: string }> }).__stageSent ?? []);
}
