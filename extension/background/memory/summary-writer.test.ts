import { describe, expect, it } from 'vitest';
import { chooseSummaryWriter, summaryWriterView, withoutSecrets, type ChatEndpoint } from './summary-writer.ts';

const options = { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: 'sk-options-1234' };
const chat: ChatEndpoint = { url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', provider: 'openai', credential: 'nk-code-1234', at: 1 };

describe('chooseSummaryWriter', () => {
  it('asks the options page\'s model first, then the chat\'s own model, then writes locally', () => {
    expect(chooseSummaryWriter({ summaryModel: options, useChatModel: true, chat })).toEqual({ by: 'summary-model', endpoint: options, reason: null });
    expect(chooseSummaryWriter({ summaryModel: options, useChatModel: false, chat: null }).by).toBe('summary-model');
    expect(chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat }))
      .toEqual({ by: 'chat-model', endpoint: { url: chat.url, model: 'gpt-4o-mini', apiKey: 'nk-code-1234' }, reason: null });
    // A chat request without a key (NextChat's server holds it): the endpoint is asked without one.
    expect(chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat: { ...chat, credential: null } }).endpoint).toEqual({ url: chat.url, model: 'gpt-4o-mini' });
  });

  it('writes locally, saying why, when the chat\'s model is turned off, not known yet, or not OpenAI-compatible', () => {
    expect(chooseSummaryWriter({ summaryModel: null, useChatModel: false, chat })).toEqual({ by: 'local', endpoint: null, reason: expect.stringContaining('turned off') });
    expect(chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat: null })).toEqual({ by: 'local', endpoint: null, reason: expect.stringContaining('has not seen this chat\'s model') });
    for (const provider of ['anthropic', 'google', 'azure', 'baidu'] as const) {
      const writer = chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat: { ...chat, provider } });
      expect(writer).toEqual({ by: 'local', endpoint: null, reason: expect.stringContaining('only OpenAI-compatible chat endpoints can') });
    }
    for (const provider of ['openai-compatible', 'deepseek', 'moonshot'] as const) {
      expect(chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat: { ...chat, provider } }).by).toBe('chat-model');
    }
  });
});

describe('summaryWriterView', () => {
  it('says who writes, and why the last summary was local, without any key', () => {
    const byChat = chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat });
    expect(summaryWriterView(byChat, null)).toEqual({ by: 'chat-model', text: 'New summaries are written by this chat\'s own model, gpt-4o-mini at 127.0.0.1:3000, with the key or access code NextChat sent.' });
    const failed = summaryWriterView(byChat, { by: 'chat-model', source: 'local', reason: 'The model answered 401: nk-code-1234 is not a valid access code', at: 2 });
    expect(failed.text).toMatch(/The last summary was written by the local summariser instead: The model answered 401: \[key\] is not a valid access code\.$/);
    expect(JSON.stringify(failed)).not.toContain('nk-code-1234');
    expect(summaryWriterView(chooseSummaryWriter({ summaryModel: options, useChatModel: true, chat: null }), null).text)
      .toBe('New summaries are written by summary-mini at llm.example, the summary model set in Troupe\'s options.');
    expect(summaryWriterView(chooseSummaryWriter({ summaryModel: null, useChatModel: true, chat: { ...chat, provider: 'anthropic' } }), null).text)
      .toBe('New summaries are written by the local summariser: this chat\'s model is on Anthropic (Claude), whose requests Troupe cannot reuse for summaries (only OpenAI-compatible chat endpoints can).');
    // A last outcome that was meant to be local, or a model's summary that was used, adds nothing.
    expect(summaryWriterView(byChat, { by: 'chat-model', source: 'model', reason: null, at: 2 }).text).not.toContain('last summary');
  });

  it('withoutSecrets replaces each secret, and leaves text alone without one', () => {
    expect(withoutSecrets('a sk-1234 b nk-5678', ['sk-1234', null, 'nk-5678'])).toBe('a [key] b [key]');
    expect(withoutSecrets('short k', ['k'])).toBe('short k');
  });
});
