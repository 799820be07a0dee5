// Test double of NextChat v2.16: its small UI library (components/button.tsx and ui-lib.tsx): the
// icon button, the prompt modal (`showPrompt`, used by a message's Edit button) and the toast.
// Same element nesting, CSS-module class prefixes and labels as NextChat; the stage's own hashes.

import { cls, cx } from './classes.js';
import { h } from './dom.js';
import { UI_CANCEL_TEXT, UI_CONFIRM_TEXT } from './constants.js';

/** How long a toast stays up, then how long it fades (NextChat's showToast: 3000 ms, then 300 ms). */
const TOAST_MS = 3000;
const TOAST_FADE_MS = 300;

/**
 * NextChat's IconButton: `button.clickable.button_icon-button__…` with an icon div and an optional
 * text div. `aria` goes on the button itself only when `ariaOnButton` (NextChat's `aria` prop);
 * otherwise the icon and text divs carry the text as their aria-label.
 */
export function iconButton({ text, aria, title, ariaOnButton = false, classes = [], onclick, noDarkIcon = false, tabIndex }) {
  const label = aria ?? text;
  return h(
    'button',
    { class: cx('clickable', ['button', 'icon-button'], ...classes), role: 'button', title, tabindex: tabIndex, 'aria-label': ariaOnButton ? label : null, onclick },
    h('div', { 'aria-label': ariaOnButton ? null : label, class: cx(['button', 'icon-button-icon'], noDarkIcon && 'no-dark') }, h('svg')),
    text ? h('div', { 'aria-label': label, class: cx(['button', 'icon-button-text']) }, text) : null,
  );
}

/**
 * NextChat's Modal inside a `div.modal-mask` appended to <body>: container, header (title, maximise
 * and close actions), content, footer with one `modal-action` per button. Escape (on window) and the
 * close action call `onClose`. Returns the mask element and `close()`.
 */
function showModal({ title, content, actions, onClose }) {
  const mask = h('div', { class: 'modal-mask' });
  const container = h('div', { class: cls('ui-lib', 'modal-container') });
  let max = false;
  const maxAction = h('div', {
    class: cls('ui-lib', 'modal-header-action'),
    onclick: () => {
      max = !max;
      container.className = cx(['ui-lib', 'modal-container'], max && ['ui-lib', 'modal-container-max']);
    },
  }, h('svg'));
  const closeAction = h('div', { class: cls('ui-lib', 'modal-header-action'), onclick: () => onClose() }, h('svg'));
  container.append(
    h(
      'div',
      { class: cls('ui-lib', 'modal-header') },
      h('div', { class: cls('ui-lib', 'modal-title') }, title),
      h('div', { class: cls('ui-lib', 'modal-header-actions') }, maxAction, closeAction),
    ),
    h('div', { class: cls('ui-lib', 'modal-content') }, content),
    h('div', { class: cls('ui-lib', 'modal-footer') }, h('div', { class: cls('ui-lib', 'modal-actions') }, actions.map((a) => h('div', { class: cls('ui-lib', 'modal-action') }, a)))),
  );
  mask.append(container);
  const onKeyDown = (event) => {
    if (event.key === 'Escape') onClose();
  };
  window.addEventListener('keydown', onKeyDown);
  document.body.append(mask);
  return {
    mask,
    close() {
      window.removeEventListener('keydown', onKeyDown);
      mask.remove();
    },
  };
}

/**
 * NextChat's showPrompt(title, value, rows): a modal with one textarea (`ui-lib_modal-input__`, focused)
 * and Cancel / Confirm buttons. Resolves with the text on Confirm. Cancel, the close action and Escape
 * close it without resolving, as in NextChat (the caller then does nothing). Clicking the mask does
 * nothing (NextChat's prompt sets no click handler on it). The text is what the textarea's `input`
 * events reported (NextChat's onInput), not a value a script set without one.
 */
export function showPrompt(title, value = '', rows = 3) {
  return new Promise((resolve) => {
    let userInput = value;
    const textarea = h('textarea', { class: cls('ui-lib', 'modal-input'), rows: String(rows) });
    textarea.value = value;
    textarea.addEventListener('input', () => {
      userInput = textarea.value;
    });
    let modal;
    const close = () => modal.close();
    const cancel = iconButton({ text: UI_CANCEL_TEXT, classes: [['button', 'border'], ['button', 'shadow']], tabIndex: 0, onclick: close });
    const confirm = iconButton({
      text: UI_CONFIRM_TEXT,
      classes: [['button', 'border'], ['button', 'shadow'], ['button', 'primary']],
      noDarkIcon: true,
      tabIndex: 0,
      onclick: () => {
        resolve(userInput);
        close();
      },
    });
    modal = showModal({ title, content: textarea, actions: [cancel, confirm], onClose: close });
    // React's autoFocus: focused as it mounts.
    textarea.focus();
  });
}

/**
 * NextChat's showToast(content, action): `div.<ui-lib show>` on <body> holding the toast container,
 * its text and an optional action button; it fades (adds the hide class) after 3 s and is removed 300 ms later.
 */
export function showToast(content, action) {
  const div = h('div', { class: cls('ui-lib', 'show') });
  const close = () => {
    div.classList.add(cls('ui-lib', 'hide'));
    setTimeout(() => div.remove(), TOAST_FADE_MS);
  };
  div.append(
    h(
      'div',
      { class: cls('ui-lib', 'toast-container') },
      h(
        'div',
        { class: cls('ui-lib', 'toast-content') },
        h('span', {}, content),
        action
          ? h('button', {
              class: cls('ui-lib', 'toast-action'),
              onclick: () => {
                action.onClick?.();
                close();
              },
            }, action.text)
          : null,
      ),
    ),
  );
  document.body.append(div);
  setTimeout(close, TOAST_MS);
}
