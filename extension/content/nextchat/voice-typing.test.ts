import { afterEach, describe, expect, it, vi } from 'vitest';
import { typeSpoken } from './voice-typing.ts';

afterEach(() => { document.body.innerHTML = ''; });

describe('typing what was said into NextChat', () => {
  it('appends to the input with an input event and clicks send, telling the user-turn watcher first', async () => {
    document.body.innerHTML = '<textarea id="chat-input">Well,</textarea><button class="chat_chat-input-send__x">Send</button>';
    const input = document.querySelector('textarea')!;
    const seen: string[] = [];
    input.addEventListener('input', () => seen.push(input.value));
    const clicked = vi.fn();
    document.querySelector('button')!.addEventListener('click', clicked);
    const said: string[] = [];
    expect(typeSpoken(document, 'hello Mira.', true, (v) => said.push(v))).toBe('sent');
    expect(seen).toEqual(['Well, hello Mira.']);
    // Clicked in the next task, after NextChat's framework rendered the value.
    expect(clicked).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(clicked).toHaveBeenCalledOnce());
    expect(said).toEqual(['Well, hello Mira.']);
  });

  it('does not send when the person changed the input before the click', async () => {
    document.body.innerHTML = '<textarea id="chat-input"></textarea><button class="chat_chat-input-send__x">Send</button>';
    const clicked = vi.fn();
    document.querySelector('button')!.addEventListener('click', clicked);
    expect(typeSpoken(document, 'Hi.', true)).toBe('sent');
    document.querySelector('textarea')!.value = 'Hi. And more';
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(clicked).not.toHaveBeenCalled();
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
