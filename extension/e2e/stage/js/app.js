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

import { getMessagesWithMemory, llmChat, summarizeSession } from './chat-api.js';
import { createMessage, currentSession, deleteSession, hydrate, newSession, persist, store } from './store.js';
import { mountApp } from './view.js';
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

async function onUserInput(content) {
  const session = currentSession();
  const modelConfig = session.mask.modelConfig;
  const userMessage = createMessage({ role: 'user', content });
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
  deleteMessage(messageId) {
    const session = currentSession();
    session.messages = session.messages.filter((m) => m.id !== messageId);
    commit('chat');
  },
  retry(messageId) {
    // NextChat's onResend: find the user message (the bot reply's predecessor), drop both, send again.
    const session = currentSession();
    const index = session.messages.findIndex((m) => m.id === messageId);
    if (index < 0) return;
    let userIndex = index;
    while (userIndex >= 0 && session.messages[userIndex].role !== 'user') userIndex -= 1;
    if (userIndex < 0) return;
    const userMessage = session.messages[userIndex];
    const botMessage = session.messages[userIndex + 1];
    session.messages = session.messages.filter((m) => m !== userMessage && m !== botMessage);
    commit('chat');
    onUserInput(userMessage.content);
  },
  refreshTitle() {
    const session = currentSession();
    summarizeSession(session, true, () => commit('chat'));
  },
  clearContext() {
    const session = currentSession();
    session.clearContextIndex = session.clearContextIndex === session.messages.length ? undefined : session.messages.length;
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
