import { describe, expect, it } from 'vitest';
import { classifyChatBody, isChatCompletionRequest, nextChatSystemPrefix } from './requests.ts';

const NEXTCHAT_SYSTEM = '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10\nCurrent model: gpt-4o-mini\n';
const TITLE = 'Please generate a four to five word title summarizing our conversation without any lead-in, punctuation, quotation marks, periods, symbols, bold text, or additional text. Remove enclosing quotation marks.';

describe('isChatCompletionRequest', () => {
  const base = 'http://127.0.0.1:3000/#/chat';
  it.each([
    ['/api/openai/v1/chat/completions', 'POST', true],
    ['http://llm.example:8080/v1/chat/completions', 'post', true],
    ['https://api.example/v1/chat/completions/', 'POST', true],
    ['/api/openai/v1/chat/completions', 'GET', false],
    ['/api/openai/v1/chat/completions', undefined, false],
    ['/api/anthropic/v1/messages', 'POST', false],
    ['/api/openai/v1/models', 'POST', false],
    ['/api/cache/upload', 'POST', false],
    ['http://[bad', 'POST', false],
  ])('%s %s -> %s', (url, method, expected) => {
    expect(isChatCompletionRequest(url, method, base)).toBe(expected);
  });
});

describe('classifyChatBody', () => {
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
    expect(classifyChatBody(body)).toBe(expected);
  });
});

describe('nextChatSystemPrefix', () => {
  it('counts NextChat\'s own system prompt and nothing else', () => {
    expect(nextChatSystemPrefix([{ role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'user', content: 'x' }])).toBe(1);
    expect(nextChatSystemPrefix([{ role: 'system', content: 'You are a pirate.' }, { role: 'user', content: 'x' }])).toBe(0);
    expect(nextChatSystemPrefix([{ role: 'user', content: 'x' }])).toBe(0);
  });
});
