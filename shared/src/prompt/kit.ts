/**
 * A prompt kit: everything one chat's next prompt needs except the request itself, gathered by the
 * background (which owns the library) and kept by the content script on NextChat's page, so the
 * prompt of a request is built right where the request is made, in the same task, even while Chrome
 * has stopped the extension's worker. Sent over runtime messaging: plain data only. Versioned.
 */
import type { Character } from '../cards/index.ts';
import type { LoreBookSet, LoreTimedState } from '../lore/index.ts';
import type { InsertionStrategy } from '../lore/types.ts';
import type { MacroVariables } from '../macros/index.ts';
import { contextSizeFor } from '../tokens/index.ts';
import type { AssembleInput, AuthorNoteInput, HostSystemMode, LongTermPassage, MemoryInput, MemorySummaryInput, PersonaInput } from './assemble-types.ts';
import type { ChatCompletionBody } from './types.ts';

/** 2: the chat's memory (pinned facts) travels in the kit. 3: and the character's long-term memory, and the memory budget. */
export const PROMPT_KIT_FORMAT = 3;

export interface PromptKit {
  format: typeof PROMPT_KIT_FORMAT;
  chatKey: string;
  characterId: string;
  card: Character;
  /** Library books by role (the card's own book travels inside `card`). */
  books: LoreBookSet;
  /** Which role each library book played, by book name, and books that could not be read: for the inspector. */
  bookSources: Array<[string, 'chat' | 'character' | 'global']>;
  bookWarnings: string[];
  persona: PersonaInput;
  authorNote: AuthorNoteInput | null;
  greeting: string;
  hostSystemMode: HostSystemMode;
  insertionStrategy: InsertionStrategy;
  /** The user's context size setting; null to take the model's own. */
  contextSize: number | null;
  /** Share of the context the chat's memory may take (the user's setting, 0 to 1). */
  memoryShare: number;
  /** Exchanges Troupe remembered in this chat (one user and one character message each). */
  exchanges: number;
  timedState: LoreTimedState | null;
  variables: MacroVariables;
  /**
   * The chat's memory besides its history: the facts the person pinned, and the chat's current summaries;
   * `longTerm` when the character's long-term memory is on (what it kept from its other chats).
   */
  memory: { facts: string[]; summaries: MemorySummaryInput[]; longTerm?: KitLongTerm };
  /** Exact token counts the background knows for texts this chat's builds use (the content script has no tokenizer). */
  tokens: Array<[string, number]>;
}

/** A character's long-term memory as a kit carries it: its other chats' facts and passages. */
export interface KitLongTerm {
  facts: string[];
  passages: LongTermPassage[];
}

/**
 * Whether NextChat sent the chat from its first message: its window holds more user turns than Troupe
 * has remembered exchanges (the new turn included), so nothing older was cut off and the greeting belongs
 * at the top. Once NextChat's window slides past the start, the greeting is no longer part of it.
 */
export function startsAtBeginning(body: ChatCompletionBody, exchanges: number): boolean {
  const userTurns = body.messages.filter((m) => m.role === 'user').length;
  return userTurns > exchanges;
}

/** What a kit lacks for one build: the request's body, its host prefix, the clock and a token counter. */
export interface KitBuildContext {
  body: ChatCompletionBody;
  hostSystemPrefix: number;
  now: Date;
  countTokens: (text: string) => number;
  /**
   * The body carries the whole chat (withWholeChat): which stored message each history message is, the
   * ids the stored chat holds (summaries of anything else, such as messages before NextChat's
   * clear-context mark, stay out) and how relevant each left-out message is to the new turn.
   */
  wholeChat?: { historyIds: readonly (string | null)[]; storedIds: ReadonlySet<string>; recall?: MemoryInput['recall'] };
  /** Scores the kit's long-term passages for the new turn (the caller keeps the index); without it no passage is recalled. */
  longTermRecall?: NonNullable<MemoryInput['longTerm']>['recall'];
}

/** The assembler's input for one request from a kit: the same whether the background or the page builds. */
export function inputFromKit(kit: Omit<PromptKit, 'tokens'>, { body, hostSystemPrefix, now, countTokens, wholeChat, longTermRecall }: KitBuildContext): AssembleInput {
  const model = typeof body.model === 'string' ? body.model : '';
  return {
    body,
    character: kit.card,
    hostSystemPrefix,
    hostSystemMode: kit.hostSystemMode,
    persona: kit.persona,
    authorNote: kit.authorNote,
    includeGreeting: kit.greeting.trim().length > 0 && startsAtBeginning(body, kit.exchanges),
    greeting: kit.greeting,
    countTokens,
    contextSize: kit.contextSize ?? contextSizeFor(model),
    // NextChat's window holds only its last few messages; Troupe's log, or the whole chat when the
    // body carries it, says how long the chat really is.
    chatLength: Math.max(kit.exchanges * 2 + 1, body.messages.length),
    userTurns: Math.max(kit.exchanges + 1, body.messages.filter((m) => m.role === 'user').length),
    lore: { books: kit.books, settings: { insertionStrategy: kit.insertionStrategy }, timedState: kit.timedState },
    variables: kit.variables,
    memory: memoryFromKit(kit, wholeChat, longTermRecall),
    macros: { now, chatId: kit.chatKey },
  };
}

/** The kit's memory for one build: summaries and recall only when the body carries the whole chat. */
function memoryFromKit(kit: Omit<PromptKit, 'tokens'>, wholeChat: KitBuildContext['wholeChat'], longTermRecall: KitBuildContext['longTermRecall']): MemoryInput {
  const saved = kit.memory.longTerm;
  const longTerm = saved ? { longTerm: { facts: saved.facts, passages: saved.passages, ...(longTermRecall ? { recall: longTermRecall } : {}) } } : {};
  if (!wholeChat) return { facts: kit.memory.facts, share: kit.memoryShare, ...longTerm };
  const { historyIds, storedIds, recall } = wholeChat;
  return {
    ...longTerm,
    share: kit.memoryShare,
    facts: kit.memory.facts,
    historyIds,
    summaries: kit.memory.summaries.filter((summary) => summary.covers.every((id) => storedIds.has(id))),
    ...(recall ? { recall } : {}),
  };
}

/** Average bytes per token the estimate assumes: below what BPE tokenizers reach on prose, so it errs high. */
const ESTIMATE_BYTES_PER_TOKEN = 3;

/**
 * A token counter from known counts, estimating (on the high side, so a fit never overflows) what it
 * does not know, and noting those texts so their exact counts can be asked for afterwards.
 */
export function knownTokenCounter(known: ReadonlyMap<string, number>): { count: (text: string) => number; unknown: Set<string> } {
  const unknown = new Set<string>();
  return {
    unknown,
    count(text) {
      if (text.length === 0) return 0;
      const exact = known.get(text);
      if (exact !== undefined) return exact;
      unknown.add(text);
      return Math.ceil(utf8Length(text) / ESTIMATE_BYTES_PER_TOKEN);
    },
  };
}

/** Bytes of `text` in UTF-8 (a surrogate pair is one 4-byte character). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}
