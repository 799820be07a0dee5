// Test double of NextChat v2.16: how it builds and sends OpenAI chat requests (store/chat.ts
// onUserInput, getMessagesWithMemory, summarizeSession; client/platforms/openai.ts chat; the SSE client
// in utils/chat.ts). Request URL, headers, body key order and the abort after the stream closes match it.

import {
  CHAT_PATH, MEMORY_PREFIX, SUMMARIZE_MIN_TOKENS, SUMMARIZE_MODEL, SUMMARIZE_PROMPT, SYSTEM_TEMPLATE, TOPIC_PROMPT,
  DEFAULT_TOPIC,
} from './constants.js';
import { createMessage, currentSession, store } from './store.js';
import { anthropicRequest, deltaText, geminiRequest, openaiUrl, wholeText } from './providers.js';

/** NextChat's rough token estimate: a-Z count 1/4, other ASCII 1/2, anything else 1.5. */
export function estimateTokenLength(input) {
  let tokens = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code < 128) tokens += code >= 65 && code <= 122 ? 0.25 : 0.5;
    else tokens += 1.5;
  }
  return tokens;
}

/** NextChat's getMessageTextContent: the string, or the first text part of a multimodal message. */
export function messageText(message) {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content)) return '';
  return message.content.find((p) => p.type === 'text')?.text ?? '';
}

/** NextChat's getMessageImages: the image URLs of a multimodal message. */
export function messageImages(message) {
  if (!Array.isArray(message.content)) return [];
  return message.content.filter((p) => p.type === 'image_url').map((p) => p.image_url?.url ?? '');
}

function countMessages(messages) {
  return messages.reduce((n, m) => n + estimateTokenLength(messageText(m)), 0);
}

export function trimTopic(topic) {
  return topic.replace(/^["“”*]+|["“”*]+$/g, '').replace(/[，。！？”“"、,.!?*]*$/, '');
}

/** Models NextChat treats as vision models: their content is sent as-is and `max_tokens` is added. */
function isVisionModel(model) {
  return [/vision/, /gpt-4o/, /gpt-4\.1/, /gpt-4-turbo(?!.*preview)/, /gpt-5/, /^o3/, /o4-mini/, /claude.*[34]/, /gemini/, /vl/i].some((r) =>
    r.test(model),
  );
}

function fillTemplate(template, modelConfig) {
  const vars = {
    ServiceProvider: 'OpenAI',
    cutoff: '2023-10',
    model: modelConfig.model,
    time: new Date().toString(),
    lang: 'en',
    input: '',
  };
  let output = template.includes('{{input}}') ? template : `${template}\n{{input}}`;
  for (const [name, value] of Object.entries(vars)) output = output.replaceAll(`{{${name}}}`, String(value));
  return output;
}

function memoryPrompt(session) {
  return session.memoryPrompt.length > 0 ? { role: 'system', content: MEMORY_PREFIX + session.memoryPrompt, date: '' } : undefined;
}

/** System prompt, long-term memory, mask context, then the last `historyMessageCount` messages. */
export function getMessagesWithMemory(session) {
  const modelConfig = session.mask.modelConfig;
  const clearContextIndex = session.clearContextIndex ?? 0;
  const messages = session.messages.slice();
  const total = messages.length;
  const system =
    modelConfig.enableInjectSystemPrompts !== false && (modelConfig.model.startsWith('gpt-') || modelConfig.model.startsWith('chatgpt-'))
      ? [createMessage({ role: 'system', content: fillTemplate(SYSTEM_TEMPLATE, modelConfig) })]
      : [];
  const memory = memoryPrompt(session);
  const sendMemory = modelConfig.sendMemory && memory && session.lastSummarizeIndex > clearContextIndex;
  const shortStart = Math.max(0, total - modelConfig.historyMessageCount);
  const memoryStart = sendMemory ? Math.min(session.lastSummarizeIndex, shortStart) : shortStart;
  const contextStart = Math.max(clearContextIndex, memoryStart);
  const recent = [];
  for (let i = total - 1, tokens = 0; i >= contextStart && tokens < modelConfig.max_tokens; i -= 1) {
    const m = messages[i];
    if (!m || m.isError) continue;
    tokens += estimateTokenLength(messageText(m));
    recent.push(m);
  }
  return [...system, ...(sendMemory ? [memory] : []), ...session.mask.context.slice(), ...recent.reverse()];
}


function headers() {
  const out = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const key = store.access.openaiApiKey?.trim();
  if (store.access.useCustomConfig && key) out.Authorization = `Bearer ${key}`;
  return out;
}

function prettyError(text) {
  try {
    return ['```json', JSON.stringify(JSON.parse(text), null, '  '), '```'].join('\n');
  } catch {
    return text;
  }
}

/**
 * Test-double only (real NextChat has no such thing): every URL and body the page hands to
 * window.fetch, in order, on `window.__stageSent`, so tests can compare it with what reached the LLM.
 */
function recordSent(url, body) {
  window.__stageSent ??= [];
  window.__stageSent.push({ url, body });
}

/**
 * One chat call, like NextChat's `api.llm.chat`. Callbacks: onUpdate(textSoFar), onFinish(text, res, failed),
 * onError(error), onController(abortController).
 */
/** The request NextChat's client for the model's provider makes (OpenAI, Anthropic or Google). */
function buildRequest(options, modelConfig) {
  const provider = modelConfig.providerName;
  const stream = options.config.stream;
  if (provider === 'Anthropic') return anthropicRequest({ messages: options.messages, stream, modelConfig, access: store.access, text: messageText });
  if (provider === 'Google') return geminiRequest({ messages: options.messages, stream, modelConfig, access: store.access, text: messageText });
  const vision = isVisionModel(modelConfig.model);
  const messages = options.messages.map((m) => ({ role: m.role, content: vision ? m.content : messageText(m) }));
  const body = {
    messages,
    stream,
    model: modelConfig.model,
    temperature: modelConfig.temperature,
    presence_penalty: modelConfig.presence_penalty,
    frequency_penalty: modelConfig.frequency_penalty,
    top_p: modelConfig.top_p,
  };
  if (vision) body.max_tokens = Math.max(modelConfig.max_tokens, 4000);
  return { url: openaiUrl(store.access, CHAT_PATH), body, headers: headers() };
}

export async function llmChat(options) {
  const modelConfig = { ...store.config.modelConfig, ...currentSession().mask.modelConfig, model: options.config.model };
  const provider = modelConfig.providerName;
  const request = buildRequest(options, modelConfig);
  const payload = request.body;
  const chatUrl = () => request.url;

  const controller = new AbortController();
  options.onController?.(controller);
  const requestHeaders = request.headers;
  // NextChat's SSE client adds a lower-case `accept` beside `Accept`; fetch joins them into one header.
  if (options.config.stream) requestHeaders.accept = 'text/event-stream';
  const init = { method: 'POST', body: JSON.stringify(payload), signal: controller.signal, headers: requestHeaders };
  recordSent(chatUrl(), init.body);

  if (!options.config.stream) {
    try {
      // Looked up on every call (never cached): extensions patch window.fetch.
      const res = await window.fetch(chatUrl(), init);
      const json = await res.json();
      const content = wholeText(provider, json) || (json?.error ? prettyError(JSON.stringify(json)) : '');
      options.onFinish?.(content, res, !res.ok);
    } catch (error) {
      options.onError?.(error);
    }
    return;
  }

  let text = '';
  let finished = false;
  let response;
  const finish = (failed = false) => {
    if (finished) return;
    finished = true;
    options.onFinish?.(text, response, failed);
  };
  // The user's Stop aborts the controller: NextChat then finishes with what it has.
  controller.signal.onabort = () => finish(false);

  try {
    response = await window.fetch(chatUrl(), init);
  } catch (error) {
    if (!controller.signal.aborted) {
      finished = true;
      options.onError?.(error);
    }
    return;
  }

  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok || response.status !== 200 || !contentType.startsWith('text/event-stream')) {
    const body = await response.text().catch(() => '');
    const parts = [];
    if (response.status === 401) parts.push('Unauthorized: check the API key or access code.');
    parts.push(body ? prettyError(body) : `HTTP ${response.status} ${response.statusText}`);
    text = parts.join('\n\n');
    finish(true);
    controller.abort();
    return;
  }

  try {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let data = [];
    const dispatch = () => {
      if (data.length === 0) return;
      const payloadText = data.join('\n');
      data = [];
      if (payloadText === '[DONE]') {
        finish(false);
        return;
      }
      if (finished || payloadText.trim() === '') return;
      try {
        const delta = deltaText(provider, JSON.parse(payloadText));
        if (typeof delta === 'string' && delta.length > 0) {
          text += delta;
          options.onUpdate?.(text);
        }
      } catch {
        // NextChat logs and skips lines it cannot parse.
      }
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') dispatch();
        else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
    dispatch();
    finish(false);
  } catch (error) {
    if (!controller.signal.aborted) {
      text += `\n\n${prettyError(JSON.stringify({ error: true, message: String(error?.message ?? error) }))}`;
      finish(true);
    }
  }
  // NextChat's SSE client aborts its controller once the stream has closed (so a response.clone()
  // taken by someone else rejects with AbortError afterwards).
  controller.abort();
}

/** Title (and long-chat memory) requests NextChat sends after a reply: `stream:false` for the title. */
export function summarizeSession(session, refreshTitle, onChange) {
  const modelConfig = session.mask.modelConfig;
  const model = modelConfig.compressModel || (modelConfig.model.startsWith('gpt') || modelConfig.model.startsWith('chatgpt') ? SUMMARIZE_MODEL : modelConfig.model);
  const messages = session.messages;

  if ((store.config.enableAutoGenerateTitle && session.topic === DEFAULT_TOPIC && countMessages(messages) >= SUMMARIZE_MIN_TOKENS) || refreshTitle) {
    const start = Math.max(0, messages.length - modelConfig.historyMessageCount);
    const topicMessages = messages
      .slice(start < messages.length ? start : messages.length - 1, messages.length)
      .concat(createMessage({ role: 'user', content: TOPIC_PROMPT }));
    llmChat({
      messages: topicMessages,
      config: { model, stream: false },
      onFinish(message, res) {
        if (res?.status === 200) {
          session.topic = message.length > 0 ? trimTopic(message) : DEFAULT_TOPIC;
          onChange();
        }
      },
    });
  }

  const summarizeIndex = Math.max(session.lastSummarizeIndex, session.clearContextIndex ?? 0);
  let toSummarize = messages.filter((m) => !m.isError).slice(summarizeIndex);
  const historyLength = countMessages(toSummarize);
  if (historyLength > (modelConfig.max_tokens || 4000)) {
    toSummarize = toSummarize.slice(Math.max(0, toSummarize.length - modelConfig.historyMessageCount));
  }
  const memory = memoryPrompt(session);
  if (memory) toSummarize.unshift(memory);
  const lastSummarizeIndex = session.messages.length;
  if (historyLength > modelConfig.compressMessageLengthThreshold && modelConfig.sendMemory) {
    llmChat({
      messages: toSummarize.concat(createMessage({ role: 'system', content: SUMMARIZE_PROMPT, date: '' })),
      config: { ...modelConfig, stream: true, model },
      onFinish(message, res, failed) {
        if (res?.status === 200 && !failed) {
          session.lastSummarizeIndex = lastSummarizeIndex;
          session.memoryPrompt = message;
          onChange();
        }
      },
    });
  }
}
