import { beforeEach, describe, expect, it } from 'vitest';
import { followUserTurns, RESEND_CLICK_TTL_MS, SUBMISSION_TTL_MS, type UserTurns } from './user-turns.ts';

/** A trusted-looking event: happy-dom marks dispatched events untrusted, as browsers do for scripts. */
function trusted<T extends Event>(event: T): T {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

describe('followUserTurns', () => {
  let doc: Document;
  let clock: number;
  let turns: UserTurns;
  const input = () => doc.querySelector('textarea')!;

  beforeEach(() => {
    doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = `<div class="chat_chat-body__x"><div class="chat_chat-message-user__y"><div class="chat_chat-message-item__z"><div class="markdown-body">An old question</div></div></div></div>
      <textarea id="chat-input"></textarea><button class="chat_chat-input-send__q">Send</button>`;
    clock = 1_000_000;
    turns = followUserTurns(doc, new AbortController().signal, () => clock);
  });

  it('vouches for what the person submitted with Enter or the send button', () => {
    input().value = 'Hello there ';
    input().dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(turns.sentByUser('Hello there')).toBe(true);
    input().value = 'Second';
    doc.querySelector('button')!.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true })));
    expect(turns.sentByUser('Second')).toBe(true);
    clock += SUBMISSION_TTL_MS + 1;
    expect(turns.sentByUser('Second')).toBe(false);
  });

  it('does not vouch for events a script made, nor for text never submitted (NextChat\'s summaries, a page\'s own call)', () => {
    input().value = 'Forged';
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    doc.querySelector('button')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(turns.sentByUser('Forged')).toBe(false);
    expect(turns.sentByUser('Summarize the discussion briefly')).toBe(false);
    expect(turns.sentByUser('')).toBe(false);
  });

  it('vouches for a shown message resent right after a click (Retry), not long after', () => {
    expect(turns.sentByUser('An old question')).toBe(false);
    doc.body.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true })));
    expect(turns.sentByUser('An old question')).toBe(true);
    clock += RESEND_CLICK_TTL_MS + 1;
    expect(turns.sentByUser('An old question')).toBe(false);
  });
});
