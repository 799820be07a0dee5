// Test double of NextChat v2.16: the request shapes of its Anthropic (client/platforms/anthropic.ts) and
// Google Gemini (client/platforms/google.ts) clients, as the v2.16.1 source builds them, plus how each
// reads its reply stream. The OpenAI client is in chat-api.js.

/** NextChat's proxy prefixes (app/constant.ts ApiPath). */
export const PROVIDERS = {
  OpenAI: { proxy: '/api/openai', urlKey: 'openaiUrl', keyKey: 'openaiApiKey' },
  Anthropic: { proxy: '/api/anthropic', urlKey: 'anthropicUrl', keyKey: 'anthropicApiKey' },
  Google: { proxy: '/api/google', urlKey: 'googleUrl', keyKey: 'googleApiKey' },
};

export const ANTHROPIC_VERSION = '2023-06-01';

function baseUrl(access, provider) {
  const { proxy, urlKey } = PROVIDERS[provider];
  let base = access.useCustomConfig && access[urlKey] ? access[urlKey] : proxy;
  if (base.endsWith('/')) base = base.slice(0, -1);
  if (!base.startsWith('http') && !base.startsWith('/api')) base = `https://${base}`;
  return base;
}

/** The key NextChat sends in custom-endpoint mode (the proxy adds the server's own). */
function userKey(access, provider) {
  return access.useCustomConfig ? (access[PROVIDERS[provider].keyKey] ?? '').trim() : '';
}

/**
 * NextChat's Anthropic body: system messages become user messages, and a `{assistant: ";"}` goes
 * between two neighbours that are both system/user; empty messages are dropped afterwards; a chat that
 * would open with the assistant gets a `{user: ";"}` first.
 */
export function anthropicRequest({ messages, stream, modelConfig, access, text }) {
  const withFillers = [];
  messages.forEach((m, i) => {
    const next = messages[i + 1];
    withFillers.push(m);
    if (next && ['system', 'user'].includes(m.role) && ['system', 'user'].includes(next.role)) withFillers.push({ role: 'assistant', content: ';' });
  });
  const mapped = withFillers
    .map((m) => ({ role: m.role === 'system' ? 'user' : m.role, content: text(m) }))
    .filter((m) => m.content.trim().length > 0);
  if (mapped[0]?.role === 'assistant') mapped.unshift({ role: 'user', content: ';' });
  const body = {
    messages: mapped, stream, model: modelConfig.model, max_tokens: modelConfig.max_tokens,
    temperature: modelConfig.temperature, top_p: modelConfig.top_p, top_k: 5,
  };
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'anthropic-version': ANTHROPIC_VERSION };
  const key = userKey(access, 'Anthropic');
  if (key) headers['x-api-key'] = key;
  return { url: `${baseUrl(access, 'Anthropic')}/v1/messages`, body, headers };
}

/** NextChat's Gemini body: assistant is `model`, system is `user`, neighbours of one role merge their parts. */
export function geminiRequest({ messages, stream, modelConfig, access, text }) {
  const contents = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts = [{ text: text(m) }];
    const last = contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }
  const body = {
    contents,
    generationConfig: { temperature: modelConfig.temperature, maxOutputTokens: modelConfig.max_tokens, topP: modelConfig.top_p },
    safetySettings: ['HARASSMENT', 'HATE_SPEECH', 'SEXUALLY_EXPLICIT', 'DANGEROUS_CONTENT'].map((c) => ({ category: `HARM_CATEGORY_${c}`, threshold: 'BLOCK_ONLY_HIGH' })),
  };
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const key = userKey(access, 'Google');
  if (key) headers['x-goog-api-key'] = key;
  const url = `${baseUrl(access, 'Google')}/v1beta/models/${modelConfig.model}:streamGenerateContent${stream ? '?alt=sse' : ''}`;
  return { url, body, headers };
}

export function openaiUrl(access, chatPath) {
  return `${baseUrl(access, 'OpenAI')}/${chatPath}`;
}

/** The text one SSE `data:` payload adds, per provider (NextChat reads only `data:`, never `event:`). */
export function deltaText(provider, json) {
  if (provider === 'Anthropic') return json?.delta?.text;
  if (provider === 'Google') return json?.candidates?.[0]?.content?.parts?.map((p) => p.text).join('\n\n');
  return json?.choices?.[0]?.delta?.content;
}

/** The text of a whole (non-streamed) reply, per provider. */
export function wholeText(provider, json) {
  if (provider === 'Anthropic') return json?.content?.[0]?.text ?? '';
  if (provider === 'Google') {
    const chunks = Array.isArray(json) ? json : [json];
    return chunks.map((c) => c?.candidates?.[0]?.content?.parts?.map((p) => p.text).join('') ?? '').join('');
  }
  return json?.choices?.at(0)?.message?.content ?? '';
}
