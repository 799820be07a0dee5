// Test double of NextChat v2.16: the DOM. Element nesting, class-name prefixes, ids, aria labels and
// texts follow real NextChat pages (see ../shared/fixtures/nextchat); class hashes are the stage's own.
// Like React, rows and sidebar items are kept and updated in place; the chat view is remounted when the
// current session changes (NextChat renders `<_Chat key={session.id} />`), so its textarea is replaced.

import { cls, cx } from './classes.js';
import { h, setAttr, setText, syncKeyed } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { BOT_HELLO_TEXT, CONTEXT_CLEARED_TEXT, CONTEXT_DATE_TEXT, CONTEXT_REVERT_TEXT, EDIT_TEXT, INPUT_PLACEHOLDER, TYPING_TEXT } from './constants.js';
import { allMasks, currentSession, store } from './store.js';
import { iconButton } from './ui-lib.js';

const BOT_HELLO = { id: 'stage-bot-hello', role: 'assistant', content: BOT_HELLO_TEXT, date: '' };

function chatAction(text, onclick) {
  return h(
    'div',
    { class: cx(['chat', 'chat-input-action'], 'clickable'), style: '--icon-width: 16px; --full-width: 16px;', onclick },
    h('div', { class: cls('chat', 'icon') }, h('svg')),
    h('div', { class: cls('chat', 'text') }, text),
  );
}

function windowHeader(titleEl, subTitleEl, actions) {
  return h(
    'div',
    { class: 'window-header', 'data-tauri-drag-region': 'true' },
    h('div', { class: cx('window-header-title', ['chat', 'chat-body-title']) }, titleEl, subTitleEl),
    h('div', { class: 'window-actions' }, actions.map((a) => h('div', { class: 'window-action-button' }, a))),
  );
}

/**
 * Builds the page shell once and returns `render()`, which brings the DOM up to date with the
 * stores and the UI state. `actions` are the page's behaviours (see app.js).
 */
export function mountApp(ui, actions) {
  const sessionRows = new Map();
  const sessionList = h('div', { 'data-rfd-droppable-id': 'chat-list', 'data-rfd-droppable-context-id': ':r0:' });
  const sidebar = h(
    'div',
    { class: cls('home', 'sidebar') },
    h(
      'div',
      { class: cls('home', 'sidebar-header'), 'data-tauri-drag-region': 'true' },
      h(
        'div',
        { class: cls('home', 'sidebar-title-container') },
        h('div', { class: cls('home', 'sidebar-title'), 'data-tauri-drag-region': 'true' }, 'NextChat'),
        h('div', { class: cls('home', 'sidebar-sub-title') }, 'Build your own AI assistant.'),
      ),
      h('div', { class: cx(['home', 'sidebar-logo'], 'no-dark') }, h('svg')),
    ),
    h(
      'div',
      { class: cls('home', 'sidebar-header-bar') },
      iconButton({ text: 'Mask', classes: [['button', 'shadow'], ['home', 'sidebar-bar-button']], onclick: () => actions.navigate('/new-chat') }),
      iconButton({ text: 'Discovery', classes: [['button', 'shadow'], ['home', 'sidebar-bar-button']], onclick: () => actions.navigate('/masks') }),
    ),
    h('div', { class: cls('home', 'sidebar-body') }, sessionList),
    h(
      'div',
      { class: cls('home', 'sidebar-tail') },
      h(
        'div',
        { class: cls('home', 'sidebar-actions') },
        // React Router's <Link>: a pushState, not the browser following the href.
        h('div', { class: cls('home', 'sidebar-action') }, h('a', {
          href: '#/settings',
          onclick: (event) => {
            event.preventDefault();
            actions.navigate('/settings');
          },
        }, iconButton({ aria: 'Settings', ariaOnButton: true, classes: [['button', 'shadow']] }))),
      ),
      h('div', { class: cls('home', 'sidebar-actions') }, iconButton({ text: 'New Chat', classes: [['button', 'shadow']], onclick: () => actions.newChat() })),
    ),
    h('div', { class: cls('home', 'sidebar-drag') }, h('svg')),
  );
  const appBody = h('div', { class: cls('home', 'window-content'), id: 'app-body' });
  document.body.prepend(h('div', { class: cls('home', 'container') }, sidebar, appBody));

  let mounted = { key: '', update: () => {} };

  function renderSidebar() {
    sidebar.className = cx(['home', 'sidebar'], ui.route === '/' && ['home', 'sidebar-show']);
    // NextChat marks the current row selected only while the chat (or home) route shows.
    const showSelected = ui.route === '/' || ui.route === '/chat';
    const items = ui.hydrated ? store.chat.sessions.map((session, index) => ({ session, index })) : [];
    syncKeyed(
      sessionList,
      items,
      sessionRows,
      (item) => item.session.id,
      (item) => {
        const row = h(
          'div',
          {
            'data-rfd-draggable-context-id': ':r0:',
            'data-rfd-draggable-id': item.session.id,
            tabindex: '0',
            role: 'button',
            'data-rfd-drag-handle-draggable-id': item.session.id,
            'data-rfd-drag-handle-context-id': ':r0:',
            draggable: 'false',
            onclick: () => actions.selectSession(row.stageIndex),
          },
          h('div', { class: cls('home', 'chat-item-title') }),
          h('div', { class: cls('home', 'chat-item-info') }, h('div', { class: cls('home', 'chat-item-count') }), h('div', { class: cls('home', 'chat-item-date') })),
          h('div', {
            class: cls('home', 'chat-item-delete'),
            onclick: (event) => {
              event.stopPropagation();
              actions.deleteSession(row.stageIndex);
            },
          }, h('svg')),
        );
        return row;
      },
      (row, { session, index }) => {
        row.stageIndex = index;
        const count = `${session.messages.length} messages`;
        setAttr(row, 'class', cx(['home', 'chat-item'], showSelected && index === store.chat.currentSessionIndex && ['home', 'chat-item-selected']));
        setAttr(row, 'title', `${session.topic}\n${count}`);
        setText(row.children[0], session.topic);
        setText(row.children[1].children[0], count);
        setText(row.children[1].children[1], new Date(session.lastUpdate).toLocaleString());
      },
    );
  }

  function renderTheme() {
    document.body.classList.remove('light', 'dark');
    if (store.config.theme === 'dark' || store.config.theme === 'light') document.body.classList.add(store.config.theme);
  }

  return function render() {
    renderTheme();
    renderSidebar();
    // Until the stores are read and the route's lazily loaded view arrives, the window shows nothing.
    if (!ui.hydrated) return;
    const isChat = ui.route === '/' || ui.route === '/chat';
    const view = isChat ? '/chat' : ui.route;
    if (!ui.loadedViews.has(view)) {
      if (mounted.key !== 'loading') {
        appBody.replaceChildren();
        mounted = { key: 'loading', update: () => {} };
      }
      actions.loadView(view);
      return;
    }
    const session = currentSession();
    const key = isChat ? `chat:${session.id}` : ui.route;
    if (mounted.key !== key) {
      appBody.replaceChildren();
      mounted = { key, ...mountRoute(ui.route, isChat, ui, actions) };
      if (mounted.element) appBody.append(mounted.element);
    }
    mounted.update();
  };
}

function mountRoute(route, isChat, ui, actions) {
  if (isChat) return mountChat(ui, actions);
  if (route === '/settings') return mountSettings(actions);
  if (route === '/new-chat') return mountNewChat(actions);
  if (route === '/masks') return mountMasks(actions);
  // NextChat's router renders nothing inside the window for unknown routes.
  return { element: null, update: () => {} };
}

/** React's value tracker: a script's `el.value = x` is remembered, so a following `input` event is ignored. */
function trackValue(textarea) {
  const native = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
  let tracked = native.get.call(textarea);
  Object.defineProperty(textarea, 'value', {
    configurable: true,
    enumerable: native.enumerable,
    get() {
      return native.get.call(this);
    },
    set(value) {
      tracked = String(value);
      native.set.call(this, value);
    },
  });
  return {
    /** True (and remembers the new value) when the DOM value differs from the last one seen. */
    changed() {
      const now = native.get.call(textarea);
      if (now === tracked) return false;
      tracked = now;
      return true;
    },
  };
}

function shouldSubmit(event) {
  if (event.key !== 'Enter') return false;
  if (event.isComposing || event.keyCode === 229) return false;
  return !event.altKey && !event.ctrlKey && !event.shiftKey && !event.metaKey;
}

/**
 * NextChat renders a window of a chat's rows, not all of them (chat.tsx: CHAT_PAGE_SIZE 15,
 * MAX_RENDER_MSG_COUNT 45): the last 15 when the chat opens, 15 more each time the person scrolls to the
 * top, and the newest again once more than 45 would follow the window's start (its bottom-edge scroll).
 */
const CHAT_PAGE_SIZE = 15;
const MAX_RENDER_MSG_COUNT = 45;
/** How close to the top a scroll loads the previous page (NextChat's edge threshold is the body's height / 3; a few pixels are enough here). */
const TOP_EDGE_PX = 10;

function mountChat(ui, actions) {
  const session = currentSession();
  actions.syncMaskConfig(session);
  const rows = new Map();
  /** The first row rendered (an index into the context rows and messages); null until the first render. The view is remade per session, as NextChat's `_Chat key={session.id}`. */
  let renderIndex = null;
  const title = h('div', { class: cx('window-header-main-title', ['chat', 'chat-body-main-title']) });
  const subTitle = h('div', { class: 'window-header-sub-title' });
  const body = h('div', { class: cls('chat', 'chat-body') });
  body.addEventListener('scroll', () => {
    if (body.scrollTop > TOP_EDGE_PX || !renderIndex) return;
    renderIndex = Math.max(0, renderIndex - CHAT_PAGE_SIZE);
    actions.redraw();
  });
  const textarea = h('textarea', {
    id: 'chat-input',
    class: cls('chat', 'chat-input'),
    placeholder: INPUT_PLACEHOLDER,
    rows: '3',
    style: `font-size: ${store.config.fontSize}px;`,
  });
  const tracker = trackValue(textarea);
  textarea.addEventListener('input', () => {
    if (tracker.changed()) actions.setInput(textarea.value);
  });
  textarea.addEventListener('keydown', (event) => {
    if (shouldSubmit(event)) {
      event.preventDefault();
      actions.submit();
    }
  });
  const send = iconButton({ text: 'Send', classes: [['button', 'primary'], ['chat', 'chat-input-send']], noDarkIcon: true, onclick: () => actions.submit() });
  const modelAction = chatAction('', () => actions.navigate('/settings'));
  const element = h(
    'div',
    { class: cls('chat', 'chat') },
    windowHeader(title, subTitle, [
      iconButton({ title: 'Refresh Title', aria: 'Refresh Title', classes: [['button', 'border']], onclick: () => actions.refreshTitle() }),
      iconButton({ title: 'Edit All Messages', aria: 'Edit All Messages', ariaOnButton: true, classes: [['button', 'border']] }),
    ]),
    h('div', { class: cls('chat', 'prompt-toast') }),
    h(
      'div',
      { class: cls('chat', 'chat-main') },
      h(
        'div',
        { class: cls('chat', 'chat-body-container') },
        body,
        h(
          'div',
          { class: cls('chat', 'chat-input-panel') },
          h(
            'div',
            { class: cls('chat', 'chat-input-actions') },
            chatAction('Settings', () => actions.navigate('/settings')),
            chatAction('Masks', () => actions.navigate('/masks')),
            chatAction('Clear Context', () => actions.clearContext()),
            modelAction,
            h('div', { class: cls('chat', 'chat-input-actions-end') }),
          ),
          h('label', { class: cls('chat', 'chat-input-panel-inner'), for: 'chat-input' }, textarea, send),
        ),
      ),
      h('div', { class: cls('chat', 'chat-side-panel') }),
    ),
  );

  const update = () => {
    const current = currentSession();
    setText(title, current.topic);
    setText(subTitle, `${current.messages.length} messages`);
    setText(modelAction.children[1], current.mask.modelConfig.model);
    const context = current.mask.hideContext ? [] : current.mask.context.slice();
    if (context.length === 0 && current.messages.at(0)?.content !== BOT_HELLO.content) context.push(BOT_HELLO);
    const items = context
      .map((message) => ({ message, isContext: true }))
      .concat(current.messages.map((message) => ({ message, isContext: false })));
    // The divider after the last message before a context clear (its index counts the context rows too).
    const clearAt = (current.clearContextIndex ?? -1) >= 0 ? current.clearContextIndex + context.length : -1;
    const listed = [];
    items.forEach((item, index) => {
      listed.push({ ...item, index });
      if (index === clearAt - 1) listed.push({ divider: true });
    });
    if (renderIndex === null) renderIndex = Math.max(0, listed.length - CHAT_PAGE_SIZE);
    if (listed.length - renderIndex > MAX_RENDER_MSG_COUNT) renderIndex = listed.length - CHAT_PAGE_SIZE;
    renderIndex = Math.min(renderIndex, Math.max(0, listed.length - CHAT_PAGE_SIZE));
    syncKeyed(
      body,
      listed.slice(renderIndex, renderIndex + MAX_RENDER_MSG_COUNT),
      rows,
      // A pinned message is in the mask's context and in the messages: its two rows need their own keys.
      (item) => (item.divider ? 'stage-clear-context' : item.isContext ? `context:${item.message.id}` : item.message.id),
      (item) => (item.divider ? clearContextDivider(actions) : createRow()),
      (row, item) => {
        if (!item.divider) updateRow(row, item, actions);
      },
    );
    // Controlled input: the DOM shows the state's value, like React re-rendering `value={userInput}`.
    const userInput = ui.drafts.get(current.id) ?? '';
    if (textarea.value !== userInput) textarea.value = userInput;
  };
  return { element, update, textarea };
}

/** NextChat's ClearContextDivider: "Context Cleared" (shows "Revert" on hover); a click undoes the clear. */
function clearContextDivider(actions) {
  return h(
    'div',
    { class: cls('chat', 'clear-context'), onclick: () => actions.revertClearContext() },
    h('div', { class: cls('chat', 'clear-context-tips') }, CONTEXT_CLEARED_TEXT),
    h('div', { class: cls('chat', 'clear-context-revert-btn') }, CONTEXT_REVERT_TEXT),
  );
}

function createRow() {
  const avatar = h('div', { class: cls('chat', 'chat-message-avatar') });
  const header = h('div', { class: cls('chat', 'chat-message-header') }, avatar);
  const item = h('div', { class: cls('chat', 'chat-message-item') });
  const date = h('div', { class: cls('chat', 'chat-message-action-date') });
  const container = h('div', { class: cls('chat', 'chat-message-container') }, header, item, date);
  const row = h('div', {}, container);
  row.stage = { avatar, header, item, date, container, status: null, markdown: null, modelName: null, actions: null, last: {}, message: null };
  return row;
}

function markdownBody(message, loading) {
  const el = h('div', { class: 'markdown-body', dir: 'auto', style: `font-size: ${store.config.fontSize}px; font-family: inherit;` });
  if (loading) el.append(h('svg', { class: 'stage-loading' }));
  else el.innerHTML = renderMarkdown(messageContentText(message));
  return el;
}

/** NextChat's getMessageTextContent: the string, or the first text part of a multimodal message. */
function messageContentText(message) {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content)) return '';
  return message.content.find((p) => p.type === 'text')?.text ?? '';
}

function updateRow(row, { message, isContext, index }, actions) {
  const s = row.stage;
  // The buttons act on the message this row shows now (React's handlers close over the rendered message).
  s.message = message;
  const isUser = message.role === 'user';
  const text = messageContentText(message);
  const streaming = Boolean(message.streaming);
  const loading = streaming && text.length === 0 && !isUser;
  // As in NextChat: never on the first row shown, on context rows, or on an empty message.
  const showActions = index > 0 && !isContext && (message.content?.length ?? 0) > 0;
  const last = s.last;

  setAttr(row, 'class', isUser ? cls('chat', 'chat-message-user') : cls('chat', 'chat-message'));

  if (last.role !== message.role) {
    const avatarLook = isUser || message.role === 'system' ? h('div', { class: 'user-avatar' }, h('img', { alt: isUser ? 'smiley' : 'gear' })) : h('div', { class: 'no-dark' }, h('svg'));
    s.avatar.replaceChildren(
      h('div', { class: cls('chat', 'chat-message-edit') }, iconButton({ aria: EDIT_TEXT, ariaOnButton: true, onclick: () => actions.editMessage(s.message) })),
      avatarLook,
    );
  }

  if (!isUser && !s.modelName) {
    s.modelName = h('div', { class: cls('chat', 'chat-model-name') });
    s.header.append(s.modelName);
  }
  if (s.modelName) setText(s.modelName, message.model ?? '');

  const actionsKey = showActions ? (streaming ? 'stop' : 'done') : 'none';
  if (last.actionsKey !== actionsKey) {
    s.actions?.remove();
    s.actions = null;
    if (showActions) {
      const buttons = streaming
        ? [chatAction('Stop', () => actions.stop(s.message.id))]
        : [
            chatAction('Retry', () => actions.retry(s.message)),
            chatAction('Delete', () => actions.deleteMessage(s.message.id)),
            chatAction('Pin', () => actions.pin(s.message)),
            chatAction('Copy', () => navigator.clipboard?.writeText(messageContentText(s.message)).catch(() => {})),
          ];
      s.actions = h('div', { class: cls('chat', 'chat-message-actions') }, h('div', { class: cls('chat', 'chat-input-actions') }, buttons));
      s.header.append(s.actions);
    }
  }

  if (streaming && !s.status) {
    s.status = h('div', { class: cls('chat', 'chat-message-status') }, TYPING_TEXT);
    s.container.insertBefore(s.status, s.item);
  } else if (!streaming && s.status) {
    s.status.remove();
    s.status = null;
  }

  // NextChat keys its Markdown by streaming state, so the .markdown-body is replaced when a reply ends.
  if (!s.markdown || last.streaming !== streaming || last.loading !== loading) {
    const next = markdownBody(message, loading);
    if (s.markdown) s.markdown.replaceWith(next);
    else s.item.append(next);
    s.markdown = next;
  } else if (last.text !== text && !loading) {
    s.markdown.innerHTML = renderMarkdown(text);
  }

  setText(s.date, isContext ? CONTEXT_DATE_TEXT : message.date);
  s.last = { role: message.role, actionsKey, streaming, loading, text };
}

function settingsItem(labelText, id, control) {
  return h(
    'li',
    { class: cls('ui-lib', 'list-item') },
    h('div', { class: cls('ui-lib', 'list-header') }, h('label', { class: cls('ui-lib', 'list-item-title'), for: id }, labelText)),
    control,
  );
}

function mountSettings(actions) {
  const theme = h(
    'select',
    { id: 'settings-theme', onchange: () => actions.setTheme(theme.value) },
    ['auto', 'light', 'dark'].map((t) => h('option', { value: t }, t)),
  );
  const custom = h('input', { type: 'checkbox', id: 'settings-custom-endpoint', onchange: () => actions.setAccess({ useCustomConfig: custom.checked }) });
  const endpoint = h('input', { type: 'text', id: 'settings-endpoint-url', placeholder: 'https://api.openai.com', oninput: () => actions.setAccess({ openaiUrl: endpoint.value }) });
  const apiKey = h('input', { type: 'password', id: 'settings-api-key', placeholder: 'OpenAI API Key', oninput: () => actions.setAccess({ openaiApiKey: apiKey.value }) });
  const model = h('input', { type: 'text', id: 'settings-model', oninput: () => actions.setModel(model.value) });
  const endpointItem = settingsItem('Endpoint URL', 'settings-endpoint-url', endpoint);
  const keyItem = settingsItem('API Key', 'settings-api-key', apiKey);
  const element = h(
    'div',
    { class: cls('settings', 'settings') },
    h(
      'div',
      { class: 'window-header', 'data-tauri-drag-region': 'true' },
      h('div', { class: 'window-header-title' }, h('div', { class: 'window-header-main-title' }, 'Settings'), h('div', { class: 'window-header-sub-title' }, 'All Settings')),
      h('div', { class: 'window-actions' }, h('div', { class: 'window-action-button' }, iconButton({ aria: 'Close', ariaOnButton: true, classes: [['button', 'border']], onclick: () => actions.navigate('/') }))),
    ),
    h(
      'div',
      { class: cls('settings', 'settings') },
      h('ul', { class: cls('ui-lib', 'list') }, settingsItem('Theme', 'settings-theme', theme), settingsItem('Model', 'settings-model', model)),
      h('ul', { class: cls('ui-lib', 'list') }, settingsItem('Custom Endpoint', 'settings-custom-endpoint', custom), endpointItem, keyItem),
    ),
  );
  const update = () => {
    if (document.activeElement !== theme) theme.value = store.config.theme;
    custom.checked = Boolean(store.access.useCustomConfig);
    endpointItem.hidden = keyItem.hidden = !store.access.useCustomConfig;
    if (document.activeElement !== endpoint) endpoint.value = store.access.openaiUrl ?? '';
    if (document.activeElement !== apiKey) apiKey.value = store.access.openaiApiKey ?? '';
    if (document.activeElement !== model) model.value = store.config.modelConfig.model;
  };
  return { element, update };
}

function maskList(actions, buttonText) {
  return h(
    'div',
    { class: cls('mask', 'mask-page-body') },
    allMasks().map((mask) =>
      h(
        'div',
        { class: cls('mask', 'mask-item'), 'data-mask-id': mask.id },
        h(
          'div',
          { class: cls('mask', 'mask-header') },
          h('div', { class: cls('mask', 'mask-icon') }, h('svg')),
          h('div', { class: cls('mask', 'mask-title') }, h('div', { class: cls('mask', 'mask-name') }, mask.name), h('div', {}, `${mask.context.length} prompts`)),
        ),
        h('div', { class: cls('mask', 'mask-actions') }, iconButton({ text: buttonText, onclick: () => actions.startMask(mask) })),
      ),
    ),
  );
}

function mountMasks(actions) {
  const element = h(
    'div',
    { class: cls('mask', 'mask-page') },
    h(
      'div',
      { class: 'window-header' },
      h('div', { class: 'window-header-title' }, h('div', { class: 'window-header-main-title' }, 'Mask'), h('div', { class: 'window-header-sub-title' }, `${allMasks().length} masks`)),
    ),
    maskList(actions, 'Chat'),
  );
  return { element, update: () => {} };
}

function mountNewChat(actions) {
  const element = h(
    'div',
    { class: cls('new-chat', 'new-chat') },
    h('div', { class: cls('new-chat', 'title') }, 'Pick a Mask'),
    h('div', { class: cls('new-chat', 'sub-title') }, 'Chat with the Soul behind the Mask'),
    h('div', { class: cls('new-chat', 'actions') }, iconButton({ text: 'Just Start', classes: [['button', 'primary']], onclick: () => actions.newChat(true) })),
    maskList(actions, 'Chat'),
  );
  return { element, update: () => {} };
}
