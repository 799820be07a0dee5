// Test double of NextChat v2.16 (ChatGPTNextWeb/NextChat), written for Troupe's end-to-end tests.
// It reproduces NextChat's landmarks, storage, routes and requests, not its look. Entry point: hydrates
// the stores from IndexedDB, applies test query parameters, mounts the DOM and wires the behaviours.
//
// It behaves like the real NextChat v2.16.1 as traced in ../shared/fixtures/nextchat/behaviour-trace.json
// (see js/timing.js): routes with history.pushState/replaceState only (never a hashchange of its own),
// mounts its shell first and the chat view later, reloads itself once on a first visit when its
// service worker installs, and inserts a new session row already selected.
//
// Query parameters (test presets, persisted like a user's settings):
//   ?endpoint=<url>&key=<key>  custom-endpoint mode (POST <url>/v1/chat/completions with a Bearer key)
//   ?provider=Anthropic|Google the model's provider (NextChat's Claude and Gemini clients)
//   ?model=<name>              the global model (e.g. a non-gpt model: no injected system prompt)
//   ?theme=auto|light|dark

import { getMessagesWithMemory, llmChat, messageImages, messageText, summarizeSession } from './chat-api.js';
import { createEmptySession, createMessage, currentSession, deleteSession, hydrate, newSession, persist, store } from './store.js';
import { mountApp } from './view.js';
import { showPrompt, showToast } from './ui-lib.js';
import { nanoid } from './ids.js';
import { EDIT_PROMPT_ROWS, EDIT_TEXT, PIN_TOAST_ACTION_TEXT, PIN_TOAST_TEXT } from './constants.js';
import { registerServiceWorker } from './service-worker.js';
import { PROVIDERS } from './providers.js';
import { HISTORY_SETTLE_MS, ROUTE_RENDER_MS, VIEW_CHUNK_MS, loaded, startupTiming, untilDocumentTime } from './timing.js';

// `drafts` holds each session's unsent input (NextChat keeps it per session across remounts).
// `hydrated`: rows are shown once the stores are read; `loadedViews`: routes whose lazily loaded view arrived.
const ui = { drafts: new Map(), route: '/', hydrated: false, loadedViews: new Set() };
/** Views being loaded (NextChat's `dynamic(import(…))` chunks). */
const loadingViews = new Set();
/** AbortControllers of streaming replies, by bot message id (NextChat's ChatControllerPool). */
const controllers = new Map();

let render = () => {};
let renderQueued = false;

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    render();
  });
}

/** A store changed: re-render and write the named stores, like zustand's persist middleware. */
function commit(...names) {
  persist(...(names.length > 0 ? names : ['chat']));
  scheduleRender();
}

function routeFromHash() {
  const path = location.hash.replace(/^#/, '') || '/';
  return path.split('?')[0];
}

function onNewMessage(session) {
  session.lastUpdate = Date.now();
  commit('chat');
  summarizeSession(session, false, () => commit('chat'));
}

/** A message's content as NextChat stores it: the text alone, or a text part then one part per image. */
function withImages(text, images, keepEmptyText) {
  if (images.length === 0) return text;
  const parts = keepEmptyText || text ? [{ type: 'text', text }] : [];
  return parts.concat(images.map((url) => ({ type: 'image_url', image_url: { url } })));
}

/** NextChat's chatStore.onUserInput: a new user message and bot message (fresh ids) appended, then the request. */
async function onUserInput(content, images = []) {
  const session = currentSession();
  const modelConfig = session.mask.modelConfig;
  const userMessage = createMessage({ role: 'user', content: withImages(content, images, false) });
  const botMessage = createMessage({ role: 'assistant', streaming: true, model: modelConfig.model });
  const sendMessages = getMessagesWithMemory(session).concat(userMessage);
  session.messages = session.messages.concat([userMessage, botMessage]);
  commit('chat');

  await llmChat({
    messages: sendMessages,
    config: { ...modelConfig, stream: true },
    onUpdate(text) {
      botMessage.streaming = true;
      if (text) botMessage.content = text;
      commit('chat');
    },
    onFinish(text, _res, failed) {
      botMessage.streaming = false;
      controllers.delete(botMessage.id);
      if (failed) {
        botMessage.content = text;
        botMessage.isError = true;
        userMessage.isError = true;
        commit('chat');
        return;
      }
      if (text) {
        botMessage.content = text;
        botMessage.date = new Date().toLocaleString();
        onNewMessage(session);
      } else {
        commit('chat');
      }
    },
    onError(error) {
      const aborted = String(error?.message ?? '').includes('aborted');
      botMessage.content += `\n\n${['```json', JSON.stringify({ error: true, message: String(error?.message ?? error) }, null, '  '), '```'].join('\n')}`;
      botMessage.streaming = false;
      userMessage.isError = !aborted;
      botMessage.isError = !aborted;
      controllers.delete(botMessage.id);
      commit('chat');
    },
    onController(controller) {
      controllers.set(botMessage.id, controller);
    },
  });
}

/**
 * React Router's hash router: a pushState (no hashchange), the replaceState NextChat's router makes
 * right after, and React's commit a moment later. `change` is the store change made with the
 * navigation (a new or selected session): it lands in the same commit as the new route, as in NextChat.
 */
function navigate(path, change) {
  history.pushState(history.state, '', `#${path}`);
  setTimeout(() => history.replaceState(history.state, '', `/#${path}`), HISTORY_SETTLE_MS);
  setTimeout(() => {
    if (change) {
      change();
      persist('chat');
    }
    ui.route = routeFromHash();
    scheduleRender();
  }, ROUTE_RENDER_MS);
}

const actions = {
  navigate,
  /** The view's own state changed (the chat's render window, say): draw again. */
  redraw: scheduleRender,
  loadView(view) {
    if (loadingViews.has(view)) return;
    loadingViews.add(view);
    setTimeout(() => {
      ui.loadedViews.add(view);
      scheduleRender();
    }, VIEW_CHUNK_MS);
  },
  setInput(value) {
    ui.drafts.set(currentSession().id, value);
    scheduleRender();
  },
  submit() {
    const session = currentSession();
    const input = ui.drafts.get(session.id) ?? '';
    if (input.trim() === '') return;
    // NextChat's chat commands (command.ts, useChatCommand): the whole input, with or without a leading
    // ":" or "：", naming a command runs it instead of sending (typing "clear" and Enter clears the context).
    // NextChat tests `typeof commands[name] === "function"` on a plain object, so Object.prototype's method
    // names ("toString", "constructor"…) also count: the input is cleared and nothing is sent.
    const name = input.replace(/^[:：]/, '');
    if (typeof chatCommands[name] === 'function') {
      ui.drafts.delete(session.id);
      if (Object.hasOwn(chatCommands, name)) chatCommands[name](session);
      scheduleRender();
      return;
    }
    onUserInput(input);
    store.chat.lastInput = input;
    ui.drafts.delete(session.id);
    commit('chat');
    queueMicrotask(() => document.getElementById('chat-input')?.focus());
  },
  newChat(fromSplash = false) {
    if (!fromSplash && !store.config.dontShowMaskSplashScreen) {
      actions.navigate('/new-chat');
      return;
    }
    actions.navigate('/chat', () => newSession());
  },
  startMask(mask) {
    actions.navigate('/chat', () => newSession(mask));
  },
  selectSession(index) {
    // NextChat navigates, then selects (chat-list.tsx); both show in one commit.
    actions.navigate('/chat', () => { store.chat.currentSessionIndex = index; });
  },
  deleteSession(index) {
    deleteSession(index);
    commit('chat');
  },
  stop(messageId) {
    controllers.get(messageId)?.abort();
  },
  /** NextChat's onDelete: removes that one message (a user message's reply stays); no request. */
  deleteMessage(messageId) {
    const session = currentSession();
    session.messages = session.messages.filter((m) => m.id !== messageId);
    commit('chat');
  },
  /**
   * NextChat's onResend. For a bot message: it and the nearest user message at or before it; for a
   * user message: it and the first bot message after it (not necessarily adjacent). Both are deleted
   * (by id; clearContextIndex and lastSummarizeIndex are not adjusted), then the user's text (and
   * images) is sent again as a new turn: new ids, appended at the END of the chat, with the window
   * computed after the deletion.
   */
  retry(message) {
    const session = currentSession();
    const index = session.messages.findIndex((m) => m.id === message.id);
    if (index < 0) return;
    let userMessage;
    let botMessage;
    if (message.role === 'assistant') {
      botMessage = message;
      for (let i = index; i >= 0; i -= 1) {
        if (session.messages[i].role === 'user') {
          userMessage = session.messages[i];
          break;
        }
      }
    } else if (message.role === 'user') {
      userMessage = message;
      for (let i = index; i < session.messages.length; i += 1) {
        if (session.messages[i].role === 'assistant') {
          botMessage = session.messages[i];
          break;
        }
      }
    }
    if (userMessage === undefined) return;
    session.messages = session.messages.filter((m) => m.id !== userMessage.id);
    session.messages = session.messages.filter((m) => m.id !== botMessage?.id);
    commit('chat');
    onUserInput(messageText(userMessage), messageImages(userMessage));
  },
  /**
   * NextChat's Edit button: the prompt modal (title "Edit", 10 rows) holding the message's text. On
   * Confirm the message with that id, looked up in the session's mask context then its messages, gets
   * the new text (its images kept after it); same id, role and date; nothing is sent. Cancel changes nothing.
   */
  editMessage(message) {
    const session = currentSession();
    showPrompt(EDIT_TEXT, messageText(message), EDIT_PROMPT_ROWS).then((text) => {
      const content = withImages(text, messageImages(message), true);
      const target = store.chat.sessions.find((s) => s.id === session.id);
      if (!target) return;
      const found = target.mask.context.concat(target.messages).find((m) => m.id === message.id);
      if (found) found.content = content;
      commit('chat');
    });
  },
  /** NextChat's onPinMessage: the message (same object, same id) is appended to the session's mask context. */
  pin(message) {
    const session = currentSession();
    session.mask.context.push(message);
    commit('chat');
    // "View" opens NextChat's context-prompt editor, which the stage does not have.
    showToast(PIN_TOAST_TEXT, { text: PIN_TOAST_ACTION_TEXT, onClick: () => {} });
  },
  refreshTitle() {
    const session = currentSession();
    summarizeSession(session, true, () => commit('chat'));
  },
  /**
   * The "Clear Context" input action (and Ctrl/Cmd+Shift+Backspace): a toggle. Marks the current end
   * of the chat (clearContextIndex = messages.length) and drops the memory summary; pressed again with
   * no new message since, it removes the mark (the summary stays dropped).
   */
  clearContext() {
    const session = currentSession();
    if (session.clearContextIndex === session.messages.length) {
      session.clearContextIndex = undefined;
    } else {
      session.clearContextIndex = session.messages.length;
      session.memoryPrompt = '';
    }
    commit('chat');
  },
  /** A click on the "Context Cleared" divider removes the mark. */
  revertClearContext() {
    currentSession().clearContextIndex = undefined;
    commit('chat');
  },
  syncMaskConfig(session) {
    // NextChat copies the global model config into sessions whose mask follows it, on every chat mount.
    if (session.mask.syncGlobalConfig) {
      session.mask.modelConfig = { ...store.config.modelConfig };
      persist('chat');
    }
  },
  setTheme(theme) {
    store.config.theme = theme;
    commit('config');
  },
  setModel(model) {
    if (!model) return;
    store.config.modelConfig = { ...store.config.modelConfig, model };
    commit('config');
  },
  setAccess(patch) {
    Object.assign(store.access, patch);
    commit('access');
  },
};

/**
 * NextChat's chat commands (chat.tsx useChatCommand). `clear` only marks the context (it keeps the
 * memory summary, unlike the Clear Context button); `fork` copies the chat with new message ids.
 */
const chatCommands = {
  new() {
    newSession();
    commit('chat');
  },
  newm() {
    actions.navigate('/new-chat');
  },
  prev() {
    selectByDelta(-1);
  },
  next() {
    selectByDelta(1);
  },
  clear(session) {
    session.clearContextIndex = session.messages.length;
    commit('chat');
  },
  fork(session) {
    const fork = createEmptySession();
    fork.topic = session.topic;
    fork.messages = session.messages.map((m) => ({ ...m, id: nanoid() }));
    fork.mask = { ...session.mask, modelConfig: { ...session.mask.modelConfig } };
    store.chat.sessions = [fork, ...store.chat.sessions];
    store.chat.currentSessionIndex = 0;
    commit('chat');
  },
  del() {
    deleteSession(store.chat.currentSessionIndex);
    commit('chat');
  },
};

function selectByDelta(delta) {
  const n = store.chat.sessions.length;
  store.chat.currentSessionIndex = (store.chat.currentSessionIndex + delta + n) % n;
  commit('chat');
}

function applyQueryPresets(params) {
  const changed = [];
  // ?provider=Anthropic|Google picks the model's provider, as NextChat's model menu does.
  const provider = PROVIDERS[params.get('provider')] ? params.get('provider') : null;
  const endpoint = params.get('endpoint');
  if (endpoint !== null) {
    const { urlKey, keyKey } = PROVIDERS[provider ?? 'OpenAI'];
    Object.assign(store.access, { useCustomConfig: true, [urlKey]: endpoint, [keyKey]: params.get('key') ?? '' });
    changed.push('access');
  }
  const model = params.get('model');
  const theme = params.get('theme');
  if (model) store.config.modelConfig = { ...store.config.modelConfig, model };
  if (provider) {
    store.config.modelConfig = { ...store.config.modelConfig, providerName: provider };
    changed.push('config');
  }
  if (theme === 'auto' || theme === 'light' || theme === 'dark') store.config.theme = theme;
  if (model || theme) changed.push('config');
  return changed;
}

async function main() {
  const timing = startupTiming();
  // Read before the router normalises the URL (which drops the query).
  const presets = new URLSearchParams(location.search);
  registerServiceWorker();
  const hydrated = hydrate();
  await loaded();
  // The router normalises the URL once the page has loaded (two replaceState calls on a bare URL, one with a route).
  // (The stage keeps its test presets in the query, so a self-reload still sees them.)
  if (location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${location.hash}`);
  else {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    setTimeout(() => history.replaceState(history.state, '', ''), HISTORY_SETTLE_MS * 5);
  }
  ui.route = routeFromHash();
  // NextChat's chat view listens on the document for Ctrl/Cmd+Shift+Backspace: the Clear Context toggle.
  document.addEventListener('keydown', (event) => {
    const chatShown = (ui.route === '/' || ui.route === '/chat') && ui.loadedViews.has('/chat');
    if (chatShown && (event.metaKey || event.ctrlKey) && event.shiftKey && event.key.toLowerCase() === 'backspace') {
      event.preventDefault();
      actions.clearContext();
    }
  });
  window.addEventListener('popstate', () => {
    history.replaceState(history.state, '', `/${location.hash}`);
    ui.route = routeFromHash();
    scheduleRender();
  });
  await untilDocumentTime(timing.shellAt);
  render = mountApp(ui, actions);
  render();
  await hydrated;
  const changed = applyQueryPresets(presets);
  persist('chat', 'config', 'access', 'mask', ...changed);
  await untilDocumentTime(timing.rowsAt);
  ui.hydrated = true;
  // The view the page opens on is loaded with the start-up chunks; after a reload it arrives with the rows.
  const firstView = ui.route === '/' || ui.route === '/chat' ? '/chat' : ui.route;
  loadingViews.add(firstView);
  if (timing.viewsAt <= timing.rowsAt) ui.loadedViews.add(firstView);
  render();
  if (!ui.loadedViews.has(firstView)) {
    await untilDocumentTime(timing.viewsAt);
    ui.loadedViews.add(firstView);
    render();
  }
  // A marker for tests: the page has hydrated and rendered (NextChat has no such flag; do not rely on it in product code).
  document.documentElement.dataset.stageReady = 'true';
}

main();
