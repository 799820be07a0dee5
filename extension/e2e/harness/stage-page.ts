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

/**
 * Writes `value` under `key` in the page's NextChat keyval store (made when missing), as NextChat's own
 * cloud sync or an import of its backup leaves it; reload the page for NextChat to read it.
 */
export async function writeIdbValue(page: Page, key: string, value: unknown): Promise<void> {
  await page.evaluate(
    ([k, v]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onupgradeneeded = () => open.result.createObjectStore('keyval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('keyval', 'readwrite');
          tx.objectStore('keyval').put(v, k);
          tx.oncomplete = () => { db.close(); resolve(); };
          tx.onerror = () => { db.close(); reject(tx.error); };
        };
      }),
    [key, value] as const,
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

/**
 * NextChat v2.16 landmarks for changing a chat's messages: a row's Edit button and its prompt modal
 * (ui-lib's showPrompt, appended to <body> in a `div.modal-mask`), the per-message action strip
 * (Retry, Delete, Pin, Copy), the input panel's actions (Clear Context) and the divider a clear leaves.
 */
export const NC_EDITING = {
  /** Inside a row: the Edit icon button over the avatar. */
  editButton: '[class*="chat_chat-message-edit__"] button[aria-label="Edit"]',
  modal: '.modal-mask [class*="ui-lib_modal-container__"]',
  modalTitle: '[class*="ui-lib_modal-title__"]',
  modalInput: 'textarea[class*="ui-lib_modal-input__"]',
  modalConfirm: '[class*="ui-lib_modal-action__"] button:has([aria-label="Confirm"])',
  modalCancel: '[class*="ui-lib_modal-action__"] button:has([aria-label="Cancel"])',
  /** Inside a row: its actions (each a ChatAction whose text is the action's name). */
  messageAction: '[class*="chat_chat-message-actions__"] [class*="chat_chat-input-action__"]',
  /** The input panel's actions (Settings, Masks, Clear Context, the model…). */
  inputAction: '[class*="chat_chat-input-panel__"] [class*="chat_chat-input-action__"]',
  clearContextDivider: '[class*="chat_clear-context__"]',
} as const;

/** A persisted session with the fields NextChat's context clearing and summaries use. */
export interface PersistedSessionState extends PersistedSession {
  clearContextIndex?: number;
  lastSummarizeIndex: number;
}

/** The current session of NextChat's persisted chat store (undefined before the store is written). */
export async function readCurrentSession(page: Page): Promise<PersistedSessionState | undefined> {
  const chat = await readChatStore(page);
  return chat?.state.sessions[chat.state.currentSessionIndex] as PersistedSessionState | undefined;
}

/** The rows (user or bot) whose message text is exactly `text`. */
export function rowWithText(page: Page, text: string, kind: 'user' | 'bot' | 'any' = 'any'): Locator {
  const rows = kind === 'user' ? NC.userRow : kind === 'bot' ? NC.botRow : NC.anyRow;
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page.locator(rows).filter({ has: page.locator(NC.text, { hasText: exact }) });
}

/** Opens a row's Edit prompt as a person would (hover, click Edit) and returns the modal once shown. */
export async function openEditPrompt(page: Page, row: Locator): Promise<Locator> {
  await row.hover();
  await row.locator(NC_EDITING.editButton).click();
  const modal = page.locator(NC_EDITING.modal);
  await modal.waitFor();
  return modal;
}

/** Edits a row's message through NextChat's prompt modal: replaces the text and presses Confirm. */
export async function editMessage(page: Page, row: Locator, text: string): Promise<void> {
  const modal = await openEditPrompt(page, row);
  await modal.locator(NC_EDITING.modalInput).fill(text);
  await modal.locator(NC_EDITING.modalConfirm).click();
  await modal.waitFor({ state: 'detached' });
}

/** Clicks one of a row's actions ("Retry", "Delete", "Pin", "Copy") after hovering it, as a person would. */
export async function clickMessageAction(row: Locator, action: 'Retry' | 'Delete' | 'Pin' | 'Copy'): Promise<void> {
  await row.hover();
  await row.locator(NC_EDITING.messageAction).filter({ hasText: new RegExp(`^${action}$`) }).click();
}

/** Clicks the input panel's "Clear Context" action (a toggle in NextChat). */
export async function clickClearContext(page: Page): Promise<void> {
  await page.locator(NC_EDITING.inputAction).filter({ hasText: /^Clear Context$/ }).click();
}
