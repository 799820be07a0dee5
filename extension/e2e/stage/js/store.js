// Test double of NextChat v2.16: its four persisted stores (chat, app config, access, masks), kept in
// memory and written to IndexedDB after every change, in NextChat's format.

import { idbGet, idbSet } from './idb.js';
import { nanoid } from './ids.js';
import { BUILTIN_MASKS, DEFAULT_MODEL_CONFIG, DEFAULT_TOPIC, PROXY_BASE, STORE_KEYS, STORE_VERSIONS } from './constants.js';

export function createMessage(override) {
  return { id: nanoid(), date: new Date().toLocaleString(), role: 'user', content: '', ...override };
}

function defaultConfig() {
  return {
    lastUpdate: Date.now(),
    submitKey: 'Enter',
    avatar: '1f603',
    fontSize: 14,
    fontFamily: '',
    theme: 'auto',
    tightBorder: false,
    sendPreviewBubble: true,
    enableAutoGenerateTitle: true,
    sidebarWidth: 300,
    disablePromptHint: false,
    // As in NextChat: New Chat opens the mask picker (`#/new-chat`), where "Just Start" makes the chat.
    dontShowMaskSplashScreen: false,
    hideBuiltinMasks: false,
    customModels: '',
    modelConfig: { ...DEFAULT_MODEL_CONFIG },
  };
}

function defaultAccess() {
  return {
    accessCode: '',
    useCustomConfig: false,
    provider: 'OpenAI',
    openaiUrl: PROXY_BASE,
    openaiApiKey: '',
    needCode: false,
    hideUserApiKey: false,
    customModels: '',
    defaultModel: '',
  };
}

export const store = {
  chat: { sessions: [], currentSessionIndex: 0, lastInput: '', lastUpdateTime: 0 },
  config: defaultConfig(),
  access: defaultAccess(),
  mask: { masks: {}, language: undefined },
};

export function createEmptyMask() {
  return {
    id: nanoid(),
    avatar: 'gpt-bot',
    name: DEFAULT_TOPIC,
    context: [],
    syncGlobalConfig: true,
    modelConfig: { ...store.config.modelConfig },
    lang: 'en',
    builtin: false,
    createdAt: Date.now(),
    plugin: [],
  };
}

export function createEmptySession() {
  return {
    id: nanoid(),
    topic: DEFAULT_TOPIC,
    memoryPrompt: '',
    messages: [],
    stat: { tokenCount: 0, wordCount: 0, charCount: 0 },
    lastUpdate: Date.now(),
    lastSummarizeIndex: 0,
    mask: createEmptyMask(),
  };
}

export function currentSession() {
  const { sessions } = store.chat;
  if (store.chat.currentSessionIndex < 0 || store.chat.currentSessionIndex >= sessions.length) {
    store.chat.currentSessionIndex = Math.min(sessions.length - 1, Math.max(0, store.chat.currentSessionIndex));
  }
  return sessions[store.chat.currentSessionIndex];
}

/** Like NextChat: the new session goes first and becomes current; a mask's config overrides the global one. */
export function newSession(mask) {
  const session = createEmptySession();
  if (mask) {
    session.mask = { ...structuredClone(mask), modelConfig: { ...store.config.modelConfig, ...mask.modelConfig } };
    session.topic = mask.name;
  }
  store.chat.sessions = [session, ...store.chat.sessions];
  store.chat.currentSessionIndex = 0;
  return session;
}

export function deleteSession(index) {
  store.chat.sessions = store.chat.sessions.filter((_, i) => i !== index);
  if (store.chat.sessions.length === 0) store.chat.sessions = [createEmptySession()];
  if (index < store.chat.currentSessionIndex || store.chat.currentSessionIndex >= store.chat.sessions.length) {
    store.chat.currentSessionIndex = Math.max(0, store.chat.currentSessionIndex - 1);
  }
}

export function allMasks() {
  const user = Object.values(store.mask.masks).sort((a, b) => b.createdAt - a.createdAt);
  if (store.config.hideBuiltinMasks) return user;
  return user.concat(BUILTIN_MASKS.map((m) => ({ ...m, modelConfig: { ...store.config.modelConfig, ...m.modelConfig } })));
}

function persisted(name) {
  const state = { ...store[name], _hasHydrated: true };
  if (name === 'chat') state.lastUpdateTime = Date.now();
  return JSON.stringify({ state, version: STORE_VERSIONS[name] });
}

const dirty = new Set();
let writing = Promise.resolve();

/** Writes the named stores (coalesced per microtask); transactions run in order, as NextChat's do. */
export function persist(...names) {
  const wasEmpty = dirty.size === 0;
  for (const name of names) dirty.add(name);
  if (!wasEmpty) return writing;
  writing = new Promise((resolve) => queueMicrotask(resolve)).then(() => {
    const names = [...dirty];
    dirty.clear();
    return Promise.all(names.map((name) => idbSet(STORE_KEYS[name], persisted(name))));
  });
  return writing;
}

async function load(name) {
  try {
    const raw = await idbGet(STORE_KEYS[name]);
    if (typeof raw !== 'string') return undefined;
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed.state === 'object' ? parsed.state : undefined;
  } catch {
    return undefined;
  }
}

/** Restores every store from IndexedDB (NextChat's hydration), filling defaults for what is missing. */
export async function hydrate() {
  const [chat, config, access, mask] = await Promise.all([load('chat'), load('config'), load('access'), load('mask')]);
  if (config) store.config = { ...store.config, ...config, modelConfig: { ...DEFAULT_MODEL_CONFIG, ...config.modelConfig } };
  if (access) store.access = { ...store.access, ...access };
  if (mask) store.mask = { ...store.mask, ...mask };
  if (chat && Array.isArray(chat.sessions) && chat.sessions.length > 0) {
    store.chat = {
      sessions: chat.sessions,
      currentSessionIndex: typeof chat.currentSessionIndex === 'number' ? chat.currentSessionIndex : 0,
      lastInput: typeof chat.lastInput === 'string' ? chat.lastInput : '',
      lastUpdateTime: typeof chat.lastUpdateTime === 'number' ? chat.lastUpdateTime : 0,
    };
  } else {
    store.chat.sessions = [createEmptySession()];
    store.chat.currentSessionIndex = 0;
  }
  for (const key of Object.keys(store)) delete store[key]._hasHydrated;
}
