/**
 * Puts what the person said into NextChat's input as their typing does, so NextChat stays in charge of
 * sending: the value is set and an `input` event dispatched (React's onChange sees a changed value),
 * and, when asked, NextChat's own send button is clicked.
 */
import { SELECTORS } from './selectors.ts';

export type SpokenOutcome = 'sent' | 'typed' | 'no-input';

/**
 * Appends `text` to NextChat's input (after what is already typed, so nothing is lost) and, with
 * `send`, clicks the send button in the next task (once NextChat rendered the value), telling `beforeSend` the whole message first (user-turns' `said`,
 * so the request it causes counts as the person's turn). 'no-input' when NextChat's input is not on the page.
 * @example typeSpoken(document, 'Hello Mira.', true) // 'sent'
 */
export function typeSpoken(doc: Document, text: string, send: boolean, beforeSend: (value: string) => void = () => {}): SpokenOutcome {
  const input = doc.querySelector<HTMLTextAreaElement>(SELECTORS.input);
  if (!input) return 'no-input';
  const before = input.value.trim();
  const value = before ? `${before} ${text}` : text;
  // The prototype's setter: the page's framework may shadow `value` on the element itself.
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  if (!send) {
    input.focus();
    return 'typed';
  }
  if (!doc.querySelector(SELECTORS.sendButton)) return 'typed';
  // React (NextChat) renders the input event's update after this task, and its send button's handler
  // sends the value of that render: a click now would send what was there before. So the next task.
  setTimeout(() => {
    const button = doc.querySelector<HTMLButtonElement>(SELECTORS.sendButton);
    // The person typed or sent meanwhile: what is there is theirs to send.
    if (!button || input.value !== value) return;
    beforeSend(value);
    button.click();
  }, 0);
  return 'sent';
}
