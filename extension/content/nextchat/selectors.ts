/**
 * Every NextChat landmark Troupe relies on (NextChat v2.16). CSS-module class names carry a
 * build-specific hash (`chat_chat-body__QFv5x`), so each selector matches the stable prefix.
 * Tested against saved pages in ../shared/fixtures/nextchat.
 */
export const SELECTORS = {
  appBody: '#app-body',
  /** NextChat's app shell, on every route (chat, settings, masks…). */
  appContainer: '[class*="home_container__"]',
  input: 'textarea#chat-input',
  sendButton: 'button[class*="chat_chat-input-send__"]',
  inputPanel: '[class*="chat_chat-input-panel__"]',
  chatBody: '[class*="chat_chat-body__"]',
  botRow: '[class*="chat_chat-message__"]',
  userRow: '[class*="chat_chat-message-user__"]',
  /** The avatar and actions strip at the top of every message row (bot and user). */
  messageHeader: '[class*="chat_chat-message-header__"]',
  messageText: '[class*="chat_chat-message-item__"] .markdown-body',
  /** A message's actions strip (Retry, Delete, Pin, Copy; their labels follow NextChat's language). */
  messageActions: '[class*="chat_chat-message-actions__"]',
  /** A message's date line ("Contextual Prompt" on the mask's context rows). */
  messageDate: '[class*="chat_chat-message-action-date__"]',
  streamingStatus: '[class*="chat_chat-message-status__"]',
  title: '.window-header-main-title',
  sessionItem: '[class*="home_chat-item__"]',
  selectedSessionItem: '[class*="home_chat-item-selected__"]',
  /** The theme the person picked in NextChat's settings; with neither, NextChat follows the system's. */
  darkTheme: 'body.dark',
  lightTheme: 'body.light',
} as const;

/** The attribute NextChat's drag-and-drop list puts on each session row: its value is the session id. */
export const SESSION_ID_ATTRIBUTE = 'data-rfd-draggable-id';
