// Test double of NextChat v2.16 (ChatGPTNextWeb/NextChat), written for Troupe's end-to-end tests.
// It reproduces NextChat's landmarks, storage, routes and requests, not its look. Entry point: hydrates
// the stores from IndexedDB, applies test query parameters, mounts the DOM and wires the behaviours.
//
// Query parameters (test presets, persisted like a user's settings):
//   ?endpoint=<url>&key=<key>  custom-endpoint mode (POST <url>/v1/chat/completions with a Bearer key)
//   ?model=<name>              the global model (e.g. a non-gpt model: no injected system prompt)
//   ?theme=auto|light|dark

import { getMessagesWithMemory, llmChat, summarizeSession } from './chat-api.js';
import { createMessage, currentSession, deleteSession, hydrate, newSession, persist, store } from './store.js';
import { mountApp } from './view.js';

// `drafts` holds each session's unsent input (NextChat keeps it per session across remounts).
const ui = { drafts: new Map(), route: '/' };
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

const actions = {
  navigate(path) {
    location.hash = `#${path}`;
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
    newSession();
    commit('chat');
    actions.navigate('/chat');
  },
  startMask(mask) {
    newSession(mask);
    commit('chat');
    actions.navigate('/chat');
  },
  selectSession(index) {
    store.chat.currentSessionIndex = index;
    commit('chat');
    actions.navigate('/chat');
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

function applyQueryPresets() {
  const params = new URLSearchParams(location.search);
  const changed = [];
  const endpoint = params.get('endpoint');
  if (endpoint !== null) {
    Object.assign(store.access, { useCustomConfig: true, openaiUrl: endpoint, openaiApiKey: params.get('key') ?? '' });
    changed.push('access');
  }
  const model = params.get('model');
  const theme = params.get('theme');
  if (model) store.config.modelConfig = { ...store.config.modelConfig, model };
  if (theme === 'auto' || theme === 'light' || theme === 'dark') store.config.theme = theme;
  if (model || theme) changed.push('config');
  return changed;
}

async function main() {
  await hydrate();
  const changed = applyQueryPresets();
  persist('chat', 'config', 'access', 'mask', ...changed);
  ui.route = routeFromHash();
  render = mountApp(ui, actions);
  window.addEventListener('hashchange', () => {
    ui.route = routeFromHash();
    scheduleRender();
  });
  render();
  // A marker for tests: the page has hydrated and rendered (NextChat has no such flag; do not rely on it in product code).
  document.documentElement.dataset.stageReady = 'true';
}

main();
