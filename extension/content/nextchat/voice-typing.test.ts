import { afterEach, describe, expect, it, vi } from 'vitest';
import { typeSpoken } from './voice-typing.ts';

afterEach(() => { document.body.innerHTML = ''; });

describe('typing what was said into NextChat', () => {
  it('appends to the input with an input event and clicks send, telling the user-turn watcher first', () => {
    document.body.innerHTML = '<textarea id="chat-input">Well,</textarea><button class="chat_chat-input-send__x">Send</button>';
    const input = document.querySelector('textarea')!;
    const seen: string[] = [];
    input.addEventListener('input', () => seen.push(input.value));
    const clicked = vi.fn();
    document.querySelector('button')!.addEventListener('click', clicked);
    const said: string[] = [];
    expect(typeSpoken(document, 'hello Mira.', true, (v) => said.push(v))).toBe('sent');
    expect(seen).toEqual(['Well, hello Mira.']);
    expect(said).toEqual(['Well, hello Mira.']);
    expect(clicked).toHaveBeenCalledOnce();
  });

  it('leaves the text for review when auto-send is off, and says when there is no input', () => {
    document.body.innerHTML = '<textarea id="chat-input"></textarea><button class="chat_chat-input-send__x">Send</button>';
    const clicked = vi.fn();
    document.querySelector('button')!.addEventListener('click', clicked);
    expect(typeSpoken(document, 'Hi.', false)).toBe('typed');
    expect(document.querySelector('textarea')!.value).toBe('Hi.');
    expect(clicked).not.toHaveBeenCalled();
    document.body.innerHTML = '';
    expect(typeSpoken(document, 'Hi.', true)).toBe('no-input');
  });
});
