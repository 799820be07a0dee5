/**
 * Runtime messages of a chat's memory (see issue "Memory"): what the model will be given besides the
 * chat itself, and the person's corrections to it. Pinned facts are always in the prompt.
 */
import { MAX_FACT_CHARS, MAX_SUMMARY_CHARS } from '@troupe/shared/docs';
import type { TranscriptMessage, TranscriptRole } from '@troupe/shared/memory';
import type { ProviderId } from '@troupe/shared/providers';
import { MAX_CHAT_KEY } from '../limits/general.ts';
import { MAX_MESSAGE_ID, MAX_WHOLE_CHAT_CHARS, MAX_WHOLE_CHAT_MESSAGES } from '../limits/prompt.ts';
import { MessageError, object, oneOf, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';
import { validateSummaryRequest, type SummaryEndpoint } from './offscreen-protocol.ts';

/**
 * 2: `summariser` (who writes the chat's summaries, and why) was added. 3: `longTerm` (the character's
 * long-term memory switch) and `recent` (messages the person may pin) were added.
 */
export const MEMORY_VIEW_FORMAT = 3;

/** One pinned fact as the panel shows it. */
export interface MemoryFactView {
  id: string;
  text: string;
  /** Tokens it costs in the prompt (counted for the chat's model), null until counted. */
  tokens: number | null;
  at: number;
}

/** One summary that currently describes part of the chat (the highest level over each part). */
export interface MemorySummaryView {
  id: string;
  /** 0: over messages; 1 and up: merged from summaries below. */
  level: number;
  text: string;
  tokens: number;
  /** Who wrote it: the chat's model, the local summariser, or the person (edited). */
  source: 'model' | 'local' | 'user-edited';
  /** How many of the chat's messages it stands for. */
  messages: number;
  at: number;
}

/**
 * Who writes the chat's next summary: the model set in Troupe's options, the chat's own model (the
 * endpoint, model and key of its last request), or the local extractive summariser.
 */
export type SummaryWriterKind = 'summary-model' | 'chat-model' | 'local';

/** Who writes the chat's summaries, as the panel says it. */
export interface SummaryWriterView {
  by: SummaryWriterKind;
  /** In words: which model, or why the local summariser (and why the last model summary was not used). Never a key. */
  text: string;
}

/** A chat's memory as the panel shows it. */
export interface MemoryView {
  format: typeof MEMORY_VIEW_FORMAT;
  chatKey: string;
  facts: MemoryFactView[];
  /** The summaries that describe the chat now, oldest part first. */
  summaries: MemorySummaryView[];
  /** Messages of the chat memory keeps (its transcript). */
  messages: number;
  /** Who writes its summaries (absent from a background that cannot tell). */
  summariser?: SummaryWriterView;
  /** The character's long-term memory: whether it remembers its other chats, and how many there are here. */
  longTerm: { on: boolean; otherChats: number };
  /** The chat's newest messages (MEMORY_RECENT_MESSAGES), newest last, that the person may pin as facts. */
  recent: RecentMessageView[];
}

/** A message the person may pin: its id, who said it, and its start (MEMORY_PREVIEW_CHARS). */
export interface RecentMessageView {
  id: string;
  role: TranscriptRole;
  preview: string;
  /** Already pinned as a fact. */
  pinned: boolean;
}

/**
 * The chat's own model as its last request used it, reported by the content script after each request
 * that went out with the character, so the chat's summaries can be written by that model (issue #11).
 * The background keeps it in memory and storage.session only, and answers nothing back.
 */
export interface ChatEndpointReport {
  chatKey: string;
  /** The absolute http(s) URL NextChat posted the chat request to (its `/api/…` proxy or an endpoint its settings name). */
  url: string;
  /** The model named in the request's body. */
  model: string;
  /**
   * The token of the request's `Authorization: Bearer …` header (an API key, or NextChat's access code
   * as `nk-…`); null when it had none, or for a provider whose requests cannot write summaries.
   */
  credential: string | null;
}

/**
 * Providers whose chat requests are OpenAI chat completions authorised with `Authorization: Bearer`:
 * the ones whose endpoint and key can also write a summary. Not Azure (its key goes in `api-key`, to a
 * deployment path), Anthropic or Gemini (other formats), nor Baidu, Alibaba or Tencent.
 */
export const CHAT_SUMMARY_PROVIDERS: ReadonlySet<ProviderId> = new Set<ProviderId>([
  'openai', 'openai-compatible', 'moonshot', 'deepseek', 'xai', 'bytedance', 'chatglm', 'siliconflow', '302ai', 'iflytek',
]);

/** The summary model as extension pages see it: never the key itself, only whether one is saved. */
export interface SummaryModelView {
  url: string;
  model: string;
  hasKey: boolean;
}

/** Memory's settings of this device (options page → Memory). */
export interface MemorySettingsView {
  /** Null: no model is set here (the chat's own model, or the local summariser, writes summaries). */
  summaryModel: SummaryModelView | null;
  /** With no model set here, summaries are written by each chat's own model (its endpoint and key) when it can. */
  useChatModel: boolean;
}

/** A summary model to save. `apiKey` absent: keep the saved key (for the same address only); null: remove it. */
export interface SummaryModelUpdate {
  url: string;
  model: string;
  apiKey?: string | null;
}

/** What trying the saved summary model gave: its summary of a tiny chat, or why it failed, in words (never the key). */
export type SummaryModelTestResult = { ok: true; sample: string } | { ok: false; message: string };

export interface MemoryApi {
  'memory.get': { req: { chatKey: string }; res: MemoryView };
  /** Pins a new fact ("remember that …"); refused with a readable error past MAX_PINNED_FACTS or MAX_FACT_CHARS. */
  'memory.facts.add': { req: { chatKey: string; text: string }; res: MemoryView };
  'memory.facts.update': { req: { chatKey: string; id: string; text: string }; res: MemoryView };
  /** Removes a fact for good (on every device). */
  'memory.facts.remove': { req: { chatKey: string; id: string }; res: MemoryView };
  /** Pins one of the chat's messages as a fact (its whole text); refused when it is too long or pinned already. */
  'memory.facts.promote': { req: { chatKey: string; messageId: string }; res: MemoryView };
  /** Turns the chat's character's long-term memory on or off (the switch is the character's, on every device). */
  'memory.longTerm.set': { req: { chatKey: string; on: boolean }; res: MemoryView };
  /**
   * The chat's whole transcript as NextChat stores it now (the page read it): memory keeps it in step
   * (edits, deletions, retries) and summarises what is new, off the request path.
   */
  'memory.transcript': { req: { chatKey: string; messages: TranscriptMessage[] }; res: null };
  /** The person corrects a summary: their text is kept (and what was merged from it is made again). */
  'memory.summaries.update': { req: { chatKey: string; id: string; text: string }; res: MemoryView };
  /** Makes a summary again from its messages (`id`), or every summary of the chat (no `id`). */
  'memory.summaries.redo': { req: { chatKey: string; id?: string }; res: MemoryView };
  /** The chat's last request went out to this endpoint and model, with this credential (see ChatEndpointReport). */
  'memory.chatEndpoint': { req: ChatEndpointReport; res: null };
}

/**
 * Memory's settings of this device (options page → Memory). These messages carry or guard an API key:
 * they are for Troupe's own pages, never content scripts (see CONTENT_SCRIPT_TYPES).
 */
export interface MemorySettingsApi {
  'memory.settings.get': { req: Record<string, never>; res: MemorySettingsView };
  /**
   * Saves the summary model (null: none set here) and/or whether chats' own models write summaries;
   * what is not given stays. Refused with a readable reason for a bad address or name.
   */
  'memory.settings.update': { req: { summaryModel?: SummaryModelUpdate | null; useChatModel?: boolean }; res: MemorySettingsView };
  /** Asks the saved summary model for a summary of a tiny two-message chat. */
  'memory.settings.test': { req: Record<string, never>; res: SummaryModelTestResult };
}

/** Fact ids are made by the background (UUIDs). */
const MAX_FACT_ID = 100;

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });
const factId = (v: unknown) => string(v, 'id', MAX_FACT_ID, { min: 1 });
/** Summary ids are made by the planner (`s<level>-<hash>`). */
const summaryId = (v: unknown) => string(v, 'id', MAX_FACT_ID, { min: 1 });
/** A fact is text the person typed: trimmed, never empty. */
const factText = (v: unknown) => {
  const text = string(v, 'text', MAX_FACT_CHARS).trim();
  if (text.length === 0) throw new MessageError('text must not be empty');
  return text;
};

const ROLES: readonly TranscriptRole[] = ['user', 'assistant', 'system'];

/** A transcript bounded as the page bounds it (newest MAX_WHOLE_CHAT_* of the chat). */
function transcript(v: unknown): TranscriptMessage[] {
  if (!Array.isArray(v) || v.length > MAX_WHOLE_CHAT_MESSAGES) throw new MessageError(`messages must be a list of at most ${MAX_WHOLE_CHAT_MESSAGES}`);
  let chars = 0;
  const messages = v.map((m, i) => {
    const o = object(m, `messages[${i}]`);
    const text = string(o.text, `messages[${i}].text`, MAX_WHOLE_CHAT_CHARS);
    chars += text.length;
    return { id: string(o.id, `messages[${i}].id`, MAX_MESSAGE_ID, { min: 1 }), role: oneOf(o.role, `messages[${i}].role`, ROLES), text };
  });
  if (chars > MAX_WHOLE_CHAT_CHARS) throw new MessageError(`messages may hold at most ${MAX_WHOLE_CHAT_CHARS} characters in all`);
  return messages;
}

/** Field names of the offscreen channel's endpoint rules, as the options page names its fields. */
const ENDPOINT_FIELDS: readonly [RegExp, string][] = [
  [/^endpoint\.url\b/, 'The endpoint URL'],
  [/^endpoint\.model\b/, 'The model'],
  [/^endpoint\.apiKey\b/, 'The API key'],
  [/^endpoint\b/, 'summaryModel'],
];

/**
 * An endpoint checked by the offscreen channel's own rules (http(s) URL without credentials, model
 * name, key length and characters), so a saved model is one the summary worker will take.
 */
function checkedEndpoint(endpoint: Record<string, unknown>): SummaryEndpoint {
  try {
    return validateSummaryRequest({ jobId: 'settings', messages: [], targetTokens: 1, model: '', endpoint }).endpoint!;
  } catch (error) {
    if (!(error instanceof MessageError)) throw error;
    const named = ENDPOINT_FIELDS.find(([field]) => field.test(error.message));
    throw new MessageError(named ? error.message.replace(named[0], named[1]) : error.message);
  }
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

function summaryModelUpdate(value: unknown): SummaryModelUpdate | null {
  if (value === null) return null;
  const o = object(value, 'summaryModel');
  const { url, model } = checkedEndpoint({ url: trimmed(o.url), model: trimmed(o.model) });
  if (o.apiKey === undefined) return { url, model };
  if (o.apiKey === null) return { url, model, apiKey: null };
  const { apiKey } = checkedEndpoint({ url, model, apiKey: typeof o.apiKey === 'string' && o.apiKey.trim() === '' ? ' ' : o.apiKey });
  if (!apiKey) throw new MessageError('The API key must not be empty (leave it out to keep the saved key, or remove the key)');
  return { url, model, apiKey };
}

export const MEMORY_VALIDATORS: Validators<MemoryApi> = {
  'memory.get': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
  'memory.facts.add': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), text: factText(o.text) };
  },
  'memory.facts.update': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), id: factId(o.id), text: factText(o.text) };
  },
  'memory.facts.remove': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), id: factId(o.id) };
  },
  'memory.facts.promote': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), messageId: string(o.messageId, 'messageId', MAX_MESSAGE_ID, { min: 1 }) };
  },
  'memory.longTerm.set': (p) => {
    const o = object(p, 'payload');
    if (typeof o.on !== 'boolean') throw new MessageError('on must be true or false');
    return { chatKey: chatKey(o.chatKey), on: o.on };
  },
  'memory.summaries.update': (p) => {
    const o = object(p, 'payload');
    const text = string(o.text, 'text', MAX_SUMMARY_CHARS).trim();
    if (text.length === 0) throw new MessageError('text must not be empty');
    return { chatKey: chatKey(o.chatKey), id: summaryId(o.id), text };
  },
  'memory.summaries.redo': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), ...(o.id === undefined ? {} : { id: summaryId(o.id) }) };
  },
  'memory.transcript': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), messages: transcript(o.messages) };
  },
  'memory.chatEndpoint': chatEndpointReport,
};

/**
 * A chat endpoint report checked by the offscreen channel's own endpoint rules (http(s) URL without
 * credentials in it, model name, credential length and characters), so it is one the summary worker takes.
 */
function chatEndpointReport(p: unknown): ChatEndpointReport {
  const o = object(p, 'payload');
  const key = chatKey(o.chatKey);
  const credential = o.credential === null ? null : string(o.credential, 'credential', Infinity, { min: 1 });
  const endpoint = validateSummaryRequest({ jobId: 'chat', messages: [], targetTokens: 1, model: '', endpoint: { url: o.url, model: o.model, apiKey: credential } }).endpoint!;
  return { chatKey: key, url: endpoint.url, model: endpoint.model, credential: endpoint.apiKey || null };
}

export const MEMORY_SETTINGS_VALIDATORS: Validators<MemorySettingsApi> = {
  'memory.settings.get': emptyRequest,
  'memory.settings.update': (p) => {
    const o = object(p, 'payload');
    if (o.summaryModel === undefined && o.useChatModel === undefined) throw new MessageError('summaryModel (null: none) or useChatModel must be given');
    if (o.useChatModel !== undefined && typeof o.useChatModel !== 'boolean') throw new MessageError('useChatModel must be true or false');
    return {
      ...(o.summaryModel === undefined ? {} : { summaryModel: summaryModelUpdate(o.summaryModel) }),
      ...(o.useChatModel === undefined ? {} : { useChatModel: o.useChatModel }),
    };
  },
  'memory.settings.test': emptyRequest,
};
