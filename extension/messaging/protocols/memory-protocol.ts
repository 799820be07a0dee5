/**
 * Runtime messages of a chat's memory (see issue "Memory"): what the model will be given besides the
 * chat itself, and the person's corrections to it. Pinned facts are always in the prompt.
 */
import { MAX_FACT_CHARS } from '@troupe/shared/docs';
import { MAX_CHAT_KEY } from '../limits/general.ts';
import { MessageError, object, string } from '../validate.ts';
import type { Validators } from './define.ts';

export const MEMORY_VIEW_FORMAT = 1;

/** One pinned fact as the panel shows it. */
export interface MemoryFactView {
  id: string;
  text: string;
  /** Tokens it costs in the prompt (counted for the chat's model), null until counted. */
  tokens: number | null;
  at: number;
}

/** A chat's memory as the panel shows it. */
export interface MemoryView {
  format: typeof MEMORY_VIEW_FORMAT;
  chatKey: string;
  facts: MemoryFactView[];
}

export interface MemoryApi {
  'memory.get': { req: { chatKey: string }; res: MemoryView };
  /** Pins a new fact ("remember that …"); refused with a readable error past MAX_PINNED_FACTS or MAX_FACT_CHARS. */
  'memory.facts.add': { req: { chatKey: string; text: string }; res: MemoryView };
  'memory.facts.update': { req: { chatKey: string; id: string; text: string }; res: MemoryView };
  /** Removes a fact for good (on every device). */
  'memory.facts.remove': { req: { chatKey: string; id: string }; res: MemoryView };
}

/** Fact ids are made by the background (UUIDs). */
const MAX_FACT_ID = 100;

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });
const factId = (v: unknown) => string(v, 'id', MAX_FACT_ID, { min: 1 });
/** A fact is text the person typed: trimmed, never empty. */
const factText = (v: unknown) => {
  const text = string(v, 'text', MAX_FACT_CHARS).trim();
  if (text.length === 0) throw new MessageError('text must not be empty');
  return text;
};

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
};
