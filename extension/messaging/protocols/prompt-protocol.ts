/**
 * Runtime messages of the prompt engine: build a request's prompt, show how the last one was built, and
 * the prompt settings of every chat (global lorebooks, insertion strategy, NextChat's system prompt).
 */
import type { WireFormat } from '@troupe/shared/providers';
import type { ChatRole, PromptKit, PromptReport, SessionRecord } from '@troupe/shared/prompt';
import { LORE_TIMED_STATE_VERSION, type LoreTimedState, type TimedEffect } from '@troupe/shared/lore';
import type { ChatPromptState } from '../chat-prompt-state.ts';
import { MAX_CHAT_KEY, MAX_INTERCEPT_BODY_CHARS, MAX_REQUEST_URL } from '../limits/general.ts';
import { HOST_SYSTEM_MODES } from '../chat-settings.ts';
import { INSERTION_STRATEGIES, type PromptSettings, type PromptSettingsPatch } from '../prompt-settings.ts';
import { MessageError, nullable, object, oneOf, string } from '../validate.ts';
import { MAX_CONTEXT_SIZE, MAX_HOST_SUMMARY_CHARS, MAX_MEMORY_PERCENT, MAX_MESSAGE_ID, MAX_MASK_CONTEXT_MESSAGES, MAX_WHOLE_CHAT_CHARS, MAX_WHOLE_CHAT_MESSAGES, MIN_CONTEXT_SIZE } from '../limits/prompt.ts';
import { emptyRequest, type Validators } from './define.ts';
import { lorebookIdList } from './lorebook-ids.ts';

/** A library lorebook as the settings pickers list it. */
export interface LorebookChoice {
  id: string;
  name: string;
  entries: number;
}

/** The global prompt settings with the library's books to choose from. */
export interface PromptSettingsView {
  settings: PromptSettings;
  lorebooks: LorebookChoice[];
}

export interface PromptApi {
  /** `body` null: send NextChat's request unchanged (no character, or not a chat turn). `userText`: the turn's new user message. */
  /**
   * Builds the character's prompt into a chat request NextChat made, in that request's wire format;
   * `session`: the chat as NextChat stored it, whose whole history the prompt is built from.
   */
  'prompt.build': { req: { chatKey: string; body: string; url: string; format: WireFormat; userText: string; session?: SessionRecord | null }; res: { body: string | null; characterId: string | null; userText: string } };
  'prompt.report': { req: { chatKey: string }; res: PromptReport | null };
  /**
   * The person is starting on a message in this chat: its prompt kit (null: no character speaks there),
   * so the page builds the next prompts itself; also readies the background's own build.
   */
  'prompt.kit': { req: { chatKey: string; model: string }; res: PromptKit | null };
  /** Exact token counts of texts a page-side build estimated. */
  'prompt.count': { req: { model: string; texts: string[] }; res: number[] };
  /** A prompt the page built from its kit went out: the chat's new lore timers and variables, and its report. */
  'prompt.used': { req: { chatKey: string; state: ChatPromptState; report: PromptReport }; res: null };
  'prompt.settings.get': { req: Record<string, never>; res: PromptSettingsView };
  /** Changes part of the global prompt settings; ids of books no longer in the library are dropped. */
  'prompt.settings.update': { req: PromptSettingsPatch; res: PromptSettingsView };
}

const PATCH_FIELDS = ['globalLorebookIds', 'insertionStrategy', 'hostSystemMode', 'contextSize', 'memoryPercent'];

const WIRE_FORMATS: readonly WireFormat[] = ['openai', 'anthropic', 'gemini'];

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });
const model = (v: unknown) => string(v, 'model', MAX_MODEL_CHARS);

/** Longest model name a kit is asked for (NextChat's are tens of characters). */
const MAX_MODEL_CHARS = 256;
/** Texts one `prompt.count` may ask about (a build estimates a few: the new messages), and their characters in all. */
export const MAX_COUNT_TEXTS = 64;
export const MAX_COUNT_CHARS = 2_000_000;
/** Largest `prompt.used` payload, as JSON: a report keeps at most 4,000 characters of each part. */
export const MAX_PROMPT_USED_CHARS = 2_000_000;

function timedEffects(v: unknown, field: string): Record<string, TimedEffect> {
  const o = object(v, field);
  const out: Record<string, TimedEffect> = {};
  for (const [key, effect] of Object.entries(o)) {
    const e = object(effect, `${field}.${key}`);
    if (typeof e.start !== 'number' || typeof e.end !== 'number' || typeof e.protected !== 'boolean') throw new MessageError(`${field}.${key} must be { start, end, protected }`);
    out[key] = { start: e.start, end: e.end, protected: e.protected };
  }
  return out;
}

function promptState(v: unknown): ChatPromptState {
  const o = object(v, 'state');
  if (o.version !== 1) throw new MessageError('state.version must be 1');
  const timed: LoreTimedState | null = o.timedState === null ? null : (() => {
    const t = object(o.timedState, 'state.timedState');
    if (t.version !== LORE_TIMED_STATE_VERSION) throw new MessageError(`state.timedState.version must be ${LORE_TIMED_STATE_VERSION}`);
    return { version: LORE_TIMED_STATE_VERSION, sticky: timedEffects(t.sticky, 'sticky'), cooldown: timedEffects(t.cooldown, 'cooldown') };
  })();
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(object(o.variables, 'state.variables'))) {
    if (typeof value !== 'string') throw new MessageError(`state.variables.${key} must be text`);
    variables[key] = value;
  }
  return { version: 1, timedState: timed, variables };
}

/** The report is only ever shown back in this origin's panel; its shape is checked, its text is data. */
function promptReport(v: unknown): PromptReport {
  const o = object(v, 'report');
  if (typeof o.at !== 'number' || typeof o.characterName !== 'string' || typeof o.model !== 'string' || !Array.isArray(o.parts)) throw new MessageError('report must have at, characterName, model and parts');
  object(o.lore, 'report.lore');
  object(o.trimmed, 'report.trimmed');
  object(o.fit, 'report.fit');
  return o as unknown as PromptReport;
}

const ROLES: readonly ChatRole[] = ['user', 'assistant', 'system'];

/** NextChat's stored chat as the page read it: bounded like the page bounds it (newest MAX_WHOLE_CHAT_*). */
function sessionRecord(v: unknown): SessionRecord {
  const o = object(v, 'session');
  if (!Array.isArray(o.messages) || o.messages.length > MAX_WHOLE_CHAT_MESSAGES) throw new MessageError(`session.messages must be a list of at most ${MAX_WHOLE_CHAT_MESSAGES}`);
  let chars = 0;
  const messages = o.messages.map((m, i) => {
    const message = object(m, `session.messages[${i}]`);
    const text = string(message.text, `session.messages[${i}].text`, MAX_WHOLE_CHAT_CHARS);
    chars += text.length;
    const id = message.id === undefined ? undefined : string(message.id, `session.messages[${i}].id`, MAX_MESSAGE_ID, { min: 1 });
    return { role: oneOf(message.role, `session.messages[${i}].role`, ROLES), text, ...(id === undefined ? {} : { id }) };
  });
  if (chars > MAX_WHOLE_CHAT_CHARS) throw new MessageError(`session.messages may hold at most ${MAX_WHOLE_CHAT_CHARS} characters in all`);
  const contextCount = o.contextCount;
  if (typeof contextCount !== 'number' || !Number.isInteger(contextCount) || contextCount < 0 || contextCount > MAX_MASK_CONTEXT_MESSAGES) {
    throw new MessageError(`session.contextCount must be a whole number from 0 to ${MAX_MASK_CONTEXT_MESSAGES}`);
  }
  return { messages, memoryPrompt: string(o.memoryPrompt, 'session.memoryPrompt', MAX_HOST_SUMMARY_CHARS), contextCount };
}

function contextSize(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_CONTEXT_SIZE || v > MAX_CONTEXT_SIZE) {
    throw new MessageError(`contextSize must be a whole number of tokens from ${MIN_CONTEXT_SIZE} to ${MAX_CONTEXT_SIZE}, or empty to follow the model`);
  }
  return v;
}

function memoryPercent(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_MEMORY_PERCENT) {
    throw new MessageError(`memoryPercent must be a whole number from 0 to ${MAX_MEMORY_PERCENT}`);
  }
  return v;
}

export const PROMPT_VALIDATORS: Validators<PromptApi> = {
  'prompt.build': (p) => {
    const o = object(p, 'payload');
    return {
      chatKey: chatKey(o.chatKey),
      body: string(o.body, 'body', MAX_INTERCEPT_BODY_CHARS, { min: 2 }),
      url: string(o.url, 'url', MAX_REQUEST_URL, { min: 1 }),
      format: oneOf(o.format, 'format', WIRE_FORMATS),
      userText: string(o.userText, 'userText', MAX_INTERCEPT_BODY_CHARS),
      session: o.session === undefined || o.session === null ? null : sessionRecord(o.session),
    };
  },
  'prompt.report': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
  'prompt.kit': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), model: model(o.model) };
  },
  'prompt.count': (p) => {
    const o = object(p, 'payload');
    if (!Array.isArray(o.texts) || o.texts.length > MAX_COUNT_TEXTS) throw new MessageError(`texts must be a list of at most ${MAX_COUNT_TEXTS}`);
    const texts = o.texts.map((t, i) => string(t, `texts[${i}]`, MAX_COUNT_CHARS));
    if (texts.reduce((sum, text) => sum + text.length, 0) > MAX_COUNT_CHARS) throw new MessageError(`texts may hold at most ${MAX_COUNT_CHARS} characters in all`);
    return { model: model(o.model), texts };
  },
  'prompt.used': (p) => {
    if (JSON.stringify(p).length > MAX_PROMPT_USED_CHARS) throw new MessageError(`the prompt outcome is larger than ${MAX_PROMPT_USED_CHARS} characters`);
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), state: promptState(o.state), report: promptReport(o.report) };
  },
  'prompt.settings.get': emptyRequest,
  'prompt.settings.update': (p) => {
    const o = object(p, 'payload');
    const unknown = Object.keys(o).find((key) => !PATCH_FIELDS.includes(key));
    if (unknown !== undefined) throw new MessageError(`${unknown} is not a prompt setting (expected ${PATCH_FIELDS.join(', ')})`);
    return {
      ...(o.globalLorebookIds !== undefined ? { globalLorebookIds: lorebookIdList(o.globalLorebookIds, 'globalLorebookIds') } : {}),
      ...(o.insertionStrategy !== undefined ? { insertionStrategy: oneOf(o.insertionStrategy, 'insertionStrategy', INSERTION_STRATEGIES) } : {}),
      ...(o.hostSystemMode !== undefined ? { hostSystemMode: oneOf(o.hostSystemMode, 'hostSystemMode', HOST_SYSTEM_MODES) } : {}),
      ...(o.contextSize !== undefined ? { contextSize: nullable(o.contextSize, contextSize) } : {}),
      ...(o.memoryPercent !== undefined ? { memoryPercent: memoryPercent(o.memoryPercent) } : {}),
    };
  },
};
