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
      <div class="chat_chat-message-actions__a"><div class="chat_chat-input-action__b"><div class="chat_text__c">Retry</div></div></div>
      <textarea id="chat-input"></textarea><button class="chat_chat-input-send__q">Send</button>`;
    clock = 1_000_000;
    turns = followUserTurns(doc, new AbortController().signal, () => clock);
  });

  const enter = () => input().dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
  const retry = () => doc.querySelector('.chat_text__c')!.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true })));

  it('vouches for what the person submitted with Enter or the send button, once each', () => {
    input().value = 'Hello there ';
    enter();
    expect(turns.vouchesFor('Hello there')).toBe(true);
    expect(turns.vouchesFor('Hello there')).toBe(true);
    expect(turns.claim('Hello there')).toBe(true);
    expect(turns.claim('Hello there')).toBe(false);
    expect(turns.vouchesFor('Hello there')).toBe(false);
    input().value = 'Second';
    doc.querySelector('button')!.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true })));
    input().value = 'Second';
    enter();
    expect(turns.claim('Second')).toBe(true);
    expect(turns.claim('Second')).toBe(true);
    expect(turns.claim('Second')).toBe(false);
    input().value = 'Third';
    enter();
    clock += SUBMISSION_TTL_MS + 1;
    expect(turns.claim('Third')).toBe(false);
  });

  it('does not vouch for events a script made, nor for text never submitted (NextChat\'s summaries, a page\'s own call)', () => {
    input().value = 'Forged';
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    doc.querySelector('button')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(turns.claim('Forged')).toBe(false);
    expect(turns.claim('Summarize the discussion briefly')).toBe(false);
    expect(turns.claim('')).toBe(false);
  });

  it('vouches for a shown message resent right after a click in its actions (Retry), once, and not long after', () => {
    expect(turns.claim('An old question')).toBe(false);
    // A click elsewhere (into the input, the sidebar) resends nothing.
    input().dispatchEvent(trusted(new MouseEvent('click', { bubbles: true })));
    doc.body.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true })));
    expect(turns.claim('An old question')).toBe(false);
    retry();
    expect(turns.claim('Not shown anywhere')).toBe(false);
    expect(turns.claim('An old question')).toBe(true);
    expect(turns.claim('An old question')).toBe(false);
    retry();
    clock += RESEND_CLICK_TTL_MS + 1;
    expect(turns.claim('An old question')).toBe(false);
  });
});
