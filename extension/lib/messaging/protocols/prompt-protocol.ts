/**
 * Runtime messages of the prompt engine: build a request's prompt, show how the last one was built, and
 * the prompt settings of every chat (global lorebooks, insertion strategy, NextChat's system prompt).
 */
import type { WireFormat } from '@troupe/shared/providers';
import type { PromptReport } from '../../prompt-service/report.ts';
import { MAX_CHAT_KEY, MAX_INTERCEPT_BODY_CHARS, MAX_REQUEST_URL } from '../../limits.ts';
import { HOST_SYSTEM_MODES } from '../../prompt-service/chat-settings.ts';
import { INSERTION_STRATEGIES, type PromptSettings, type PromptSettingsPatch } from '../../prompt-service/prompt-settings.ts';
import { MessageError, nullable, object, oneOf, string } from '../validate.ts';
import { MAX_CONTEXT_SIZE, MIN_CONTEXT_SIZE } from '../../prompt-service/limits.ts';
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
  /** Builds the character's prompt into a chat request NextChat made, in that request's wire format. */
  'prompt.build': { req: { chatKey: string; body: string; url: string; format: WireFormat; userText: string }; res: { body: string | null; characterId: string | null; userText: string } };
  'prompt.report': { req: { chatKey: string }; res: PromptReport | null };
  /** The person is starting on a message in this chat: get its next build ready (wakes a stopped worker). */
  'prompt.warm': { req: { chatKey: string }; res: null };
  'prompt.settings.get': { req: Record<string, never>; res: PromptSettingsView };
  /** Changes part of the global prompt settings; ids of books no longer in the library are dropped. */
  'prompt.settings.update': { req: PromptSettingsPatch; res: PromptSettingsView };
}

const PATCH_FIELDS = ['globalLorebookIds', 'insertionStrategy', 'hostSystemMode', 'contextSize'];

const WIRE_FORMATS: readonly WireFormat[] = ['openai', 'anthropic', 'gemini'];

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });

function contextSize(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_CONTEXT_SIZE || v > MAX_CONTEXT_SIZE) {
    throw new MessageError(`contextSize must be a whole number of tokens from ${MIN_CONTEXT_SIZE} to ${MAX_CONTEXT_SIZE}, or empty to follow the model`);
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
    };
  },
  'prompt.report': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
  'prompt.warm': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
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
    };
  },
};
