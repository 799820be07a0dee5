import { describe, expect, it } from 'vitest';
import { classifyTurn, isAcceptableRewrite, nextChatSystemPrefix } from './classify.ts';
import { openaiCodec } from './openai.ts';

const NEXTCHAT_SYSTEM = '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10\nCurrent model: gpt-4o-mini\n';
const TITLE = 'Please generate a four to five word title summarizing our conversation without any lead-in, punctuation, quotation marks, periods, symbols, bold text, or additional text. Remove enclosing quotation marks.';

describe('classifyTurn (OpenAI format, as NextChat sends it)', () => {
  it.each([
    ['a streamed user turn', { messages: [{ role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'user', content: 'Hi' }], stream: true }, 'chat'],
    ['a user turn with image parts', { messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }] }], stream: true }, 'chat'],
    ['the title request', { messages: [{ role: 'user', content: 'Hi' }, { role: 'user', content: TITLE }], stream: false }, 'title'],
    ['a non-streamed request in another locale', { messages: [{ role: 'user', content: '使用四到五个字直接返回这句话的简要主题' }], stream: false }, 'title'],
    ['the history summary', { messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: 'Summarize the discussion briefly in 200 words or less to use as a prompt for future context.' }], stream: true }, 'summary'],
    ['a summary in another locale', { messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: '简要总结一下对话内容' }], stream: true }, 'summary'],
    ['no messages', { messages: [], stream: true }, 'not-chat'],
    ['a message without a role', { messages: [{ content: 'x' }], stream: true }, 'not-chat'],
    ['an array body', [1, 2], 'not-chat'],
    ['null', null, 'not-chat'],
  ])('%s', (_name, body, expected) => {
    expect(classifyTurn(openaiCodec.read(body, ''), body)).toBe(expected);
  });
});

describe('nextChatSystemPrefix', () => {
  it('counts NextChat\'s own system prompt and nothing else', () => {
    expect(nextChatSystemPrefix({ messages: [{ role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'user', content: 'Hi' }] })).toBe(1);
    expect(nextChatSystemPrefix({ messages: [{ role: 'system', content: 'You are a tutor.' }, { role: 'user', content: 'Hi' }] })).toBe(0);
  });
});

describe('isAcceptableRewrite', () => {
  const original = { messages: [{ role: 'user' as const, content: 'Hi' }], stream: true };
  it('takes a rewrite that ends with system messages after the user\'s', () => {
    expect(isAcceptableRewrite(original, { messages: [{ role: 'system', content: 'c' }, { role: 'user', content: 'Hi' }, { role: 'system', content: 'PHI' }], stream: true })).toBe(true);
  });
  it.each([
    ['no user message', { messages: [{ role: 'system' as const, content: 'c' }], stream: true }],
    ['another stream mode', { messages: [{ role: 'user' as const, content: 'Hi' }], stream: false }],
    ['nothing readable', null],
  ])('refuses %s', (_name, rewritten) => {
    expect(isAcceptableRewrite(original, rewritten)).toBe(false);
  });
});
