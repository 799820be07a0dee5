import { describe, expect, it } from 'vitest';
import type { ChatCompletionBody } from '../prompt/types.ts';
import { anthropicCodec } from './anthropic.ts';
import { classifyTurn, isAcceptableRewrite } from './classify.ts';
import { geminiCodec } from './gemini.ts';
import { openaiCodec } from './openai.ts';

const BUILT: ChatCompletionBody = {
  messages: [
    { role: 'system', content: 'Write Mira\'s next reply.' },
    { role: 'system', content: 'Mira keeps maps.' },
    { role: 'system', content: '[Start a new Chat]' },
    { role: 'assistant', content: 'Welcome aboard.' },
    { role: 'user', content: 'Hello' },
    { role: 'system', content: 'Stay in character.' },
  ],
  stream: true,
};

function streamText(reader: ReturnType<typeof openaiCodec.streamReader>, sse: string): { text: string; done: boolean } {
  // Split mid-line to prove lines are joined across chunks.
  const done = [sse.slice(0, 17), sse.slice(17)].map((c) => reader.push(c)).some(Boolean);
  reader.finish();
  return { text: reader.text(), done: done || reader.sawDone };
}

describe('Anthropic Messages', () => {
  // As NextChat v2.16.1 sends it: system mapped to user, ";" fillers between two user-side turns.
  const nextChatBody = {
    messages: [
      { role: 'user', content: 'This is a summary of the chat history as a recap: sailing.' },
      { role: 'assistant', content: ';' },
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
    ],
    stream: true, model: 'claude-3-5-sonnet-latest', max_tokens: 4000, temperature: 0.5, top_p: 1, top_k: 5,
  };

  it('reads NextChat\'s body as chat messages, fillers dropped, images as data URLs', () => {
    const view = anthropicCodec.read(nextChatBody, '/api/anthropic/v1/messages')!;
    expect(view.messages.map((m) => m.role)).toEqual(['user', 'user', 'assistant', 'user']);
    expect(view.messages[3]!.content).toEqual([{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]);
    expect(view).toMatchObject({ stream: true, model: 'claude-3-5-sonnet-latest', max_tokens: 4000 });
    expect(classifyTurn(view)).toBe('chat');
  });

  it('writes a built prompt with a top-level system and strictly alternating turns, keeping the other keys', () => {
    const out = anthropicCodec.write(nextChatBody, BUILT) as Record<string, unknown>;
    expect(out.system).toBe('Write Mira\'s next reply.\n\nMira keeps maps.');
    expect(out.messages).toEqual([
      { role: 'user', content: '[Start a new Chat]' },
      { role: 'assistant', content: 'Welcome aboard.' },
      { role: 'user', content: 'Hello\n\nStay in character.' },
    ]);
    expect(out).toMatchObject({ model: 'claude-3-5-sonnet-latest', max_tokens: 4000, top_k: 5, stream: true });
    const reread = anthropicCodec.read(out, '')!;
    expect(isAcceptableRewrite(anthropicCodec.read(nextChatBody, ''), reread)).toBe(true);
  });

  it('writes images back as base64 blocks', () => {
    const out = anthropicCodec.write(nextChatBody, { messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,BBBB' } }] }] }) as { messages: unknown[] };
    expect(out.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'BBBB' } }] }]);
  });

  it('reads the typed SSE stream and the JSON reply', () => {
    const sse = [
      'event: message_start', 'data: {"type":"message_start","message":{"id":"m"}}', '',
      'event: content_block_delta', 'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Ahoy"}}', '',
      'event: ping', 'data: {"type":"ping"}', '',
      'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", sailor"}}', '',
      'data: {"type":"message_stop"}', '',
    ].join('\n');
    expect(streamText(anthropicCodec.streamReader(), sse)).toEqual({ text: 'Ahoy, sailor', done: true });
    expect(anthropicCodec.jsonText({ content: [{ type: 'text', text: 'A short title' }] })).toBe('A short title');
  });

  it('tells NextChat\'s English summary (its system prompt turned user) and its title request from a user turn', () => {
    const summary = { ...nextChatBody, messages: [...nextChatBody.messages.slice(0, 4), { role: 'user', content: 'Summarize the discussion briefly in 200 words or less to use as a prompt for future context.' }] };
    expect(classifyTurn(anthropicCodec.read(summary, ''))).toBe('summary');
    expect(classifyTurn(anthropicCodec.read({ ...nextChatBody, stream: false }, ''))).toBe('title');
  });

  it('refuses what is not a Messages body', () => {
    expect(anthropicCodec.read({ messages: [{ role: 'system', content: 'x' }] }, '')).toBeNull();
    expect(anthropicCodec.read({ prompt: 'x' }, '')).toBeNull();
  });
});

describe('Google Gemini', () => {
  const url = '/api/google/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse';
  // As NextChat sends it: system mapped to user and merged with the next user message as a second part.
  const nextChatBody = {
    contents: [
      { role: 'user', parts: [{ text: 'Mask context' }, { text: 'Earlier question' }] },
      { role: 'model', parts: [{ text: 'Earlier answer' }] },
      { role: 'user', parts: [{ text: 'Hello' }, { inline_data: { mime_type: 'image/png', data: 'AAAA' } }] },
    ],
    generationConfig: { temperature: 0.5, maxOutputTokens: 4000, topP: 1 },
    safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
  };

  it('reads contents, the model and the stream switch from the URL', () => {
    const view = geminiCodec.read(nextChatBody, url)!;
    expect(view.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(view.messages[0]!.content).toBe('Mask context\n\nEarlier question');
    expect(view).toMatchObject({ stream: true, model: 'gemini-2.0-flash', max_tokens: 4000 });
    expect(classifyTurn(view)).toBe('chat');
    expect(classifyTurn(geminiCodec.read(nextChatBody, url.replace('?alt=sse', '')))).toBe('title');
  });

  it('writes systemInstruction and alternating user/model contents, keeping the config', () => {
    const out = geminiCodec.write(nextChatBody, BUILT) as Record<string, unknown>;
    expect(out.systemInstruction).toEqual({ parts: [{ text: 'Write Mira\'s next reply.\n\nMira keeps maps.' }] });
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: '[Start a new Chat]' }] },
      { role: 'model', parts: [{ text: 'Welcome aboard.' }] },
      { role: 'user', parts: [{ text: 'Hello\n\nStay in character.' }] },
    ]);
    expect(out.generationConfig).toEqual(nextChatBody.generationConfig);
    expect(out.safetySettings).toEqual(nextChatBody.safetySettings);
  });

  it('reads the SSE stream (no end marker) and the JSON array reply', () => {
    const chunk = (text: string) => `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] } }] })}\n\n`;
    expect(streamText(geminiCodec.streamReader(), chunk('Ahoy') + chunk(', sailor'))).toEqual({ text: 'Ahoy, sailor', done: false });
    expect(geminiCodec.jsonText([{ candidates: [{ content: { parts: [{ text: 'Short' }] } }] }, { candidates: [{ content: { parts: [{ text: ' title' }] } }] }])).toBe('Short title');
  });
});

describe('OpenAI chat completions', () => {
  it('reads the body as it is and replaces only the messages', () => {
    const body = { messages: [{ role: 'user', content: 'Hi' }], stream: true, model: 'gpt-4o-mini', temperature: 0.5 };
    expect(openaiCodec.read(body, '')).toBe(body);
    expect(openaiCodec.write(body, BUILT)).toEqual({ ...body, messages: BUILT.messages });
  });

  it('speaks to reasoning models in developer messages, and takes their unstreamed turns for user turns', () => {
    const body = { messages: [{ role: 'developer', content: 'Formatting re-enabled' }, { role: 'user', content: 'Hi' }], stream: false, model: 'o1', max_completion_tokens: 4000 };
    const view = openaiCodec.read(body, '')!;
    expect(view.messages[0]!.role).toBe('system');
    expect(classifyTurn(view, body)).toBe('chat');
    const out = openaiCodec.write(body, BUILT) as { messages: { role: string }[] };
    expect(out.messages.map((m) => m.role)).toEqual(['developer', 'developer', 'developer', 'assistant', 'user', 'developer']);
  });

  it('reads the SSE stream to [DONE]', () => {
    const sse = 'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\ndata: {"choices":[{"delta":{"content":"lo"}}]}\n\ndata: [DONE]\n\n';
    expect(streamText(openaiCodec.streamReader(), sse)).toEqual({ text: 'Hello', done: true });
  });
});
