/** Input and output of `assemblePrompt`. */
import type { Character } from '../cards/index.ts';
import type { ActivatedEntry, CharacterBookLike, LoreBookSet, LoreSettings, LoreTimedState, LoreWarning, SkippedEntry } from '../lore/index.ts';
import type { MacroVariables } from '../macros/index.ts';
import type { ChatCompletionBody, ChatMessage, ChatRole } from './types.ts';

/**
 * What to do with the host app's own system prompt (NextChat's "You are ChatGPT…"): leave it out (the
 * default while a character speaks, as SillyTavern's main prompt replaces the assistant persona), keep it
 * first, or put its text at the top of the main prompt.
 */
export type HostSystemMode = 'drop' | 'keep' | 'merge';

/**
 * The card fields the prompt reads, in CCv3 names. A `Character`'s `data` fits, and so does the older
 * `{ name, description }` summary.
 */
export interface PromptCard {
  name: string;
  /** CCv3: what `{{char}}` says when set. */
  nickname?: string;
  description?: string;
  personality?: string;
  scenario?: string;
  first_mes?: string;
  mes_example?: string;
  /** Replaces the main prompt; `{{original}}` inserts the one it replaces. */
  system_prompt?: string;
  /** Sent after the history; `{{original}}` inserts the default ones. */
  post_history_instructions?: string;
  /** SillyTavern keeps `depth_prompt: { prompt, depth, role }` here. */
  extensions?: Readonly<Record<string, unknown>>;
  character_book?: CharacterBookLike;
}

export interface PersonaInput {
  /** `{{user}}`; DEFAULT_USER_NAME when blank. */
  name?: string;
  description?: string;
}

export interface AuthorNoteInput {
  text: string;
  /** Messages from the end (0 = after the newest). Default 4. */
  depth?: number;
  role?: ChatRole;
  /** Insert only every N user turns; 0 or 1 = every turn. */
  everyN?: number;
  /** Let lorebook keys match the note's text too (SillyTavern's "allow WI scan"). Default false. */
  scan?: boolean;
}

/** Prompt texts that SillyTavern lets the user change; each defaults to SillyTavern's own. */
export interface PromptTemplates {
  main?: string;
  postHistory?: string;
  /** Marker before the chat history; '' leaves it out. */
  newChat?: string;
  /** Marker before each example dialogue; '' leaves it out. */
  exampleChat?: string;
  /** Use the card's `system_prompt` / `post_history_instructions` when set. Default true. */
  preferCardPrompts?: boolean;
}

export interface LoreInput {
  /** Books besides the card's own (chat, persona, global, extra character books). */
  books?: LoreBookSet;
  /** Scan the card's `character_book` (first among character books). Default true. */
  cardBook?: boolean;
  settings?: Partial<LoreSettings>;
  /** What the previous build of this chat returned as `timedState`. */
  timedState?: LoreTimedState | null;
  rng?: () => number;
  /** Preview: timed effects are honoured but not advanced. */
  dryRun?: boolean;
}

/** One summary of part of the chat, as the memory phase reads it. */
export interface MemorySummaryInput {
  id: string;
  text: string;
  /** The ids of the MESSAGES it stands for (flattened through levels: a merged summary lists its children's messages). */
  covers: readonly string[];
}

/**
 * The chat's memory besides its history. Only the facts are used while the whole history fits; once it
 * does not, summaries of the messages left out and the left-out messages that matter to the new turn
 * fill a memory budget (`share` of the context), placed after the facts, last before the chat.
 */
export interface MemoryInput {
  /** Facts the person pinned in this chat, always in the prompt (just before the chat). */
  facts?: readonly string[];
  /**
   * Ids of the body's chat messages in order (the history NextChat's body carries after its system
   * prompt and context, the new user message last); null where unknown. Same length as that history:
   * without it (or with another length) no summary or recalled message is used, as what the history
   * keeps cannot be told apart from what memory would add.
   */
  historyIds?: readonly (string | null)[];
  /**
   * The chat's summaries that are current (the caller drops stale ones), oldest first. Give every level:
   * where the history's cut runs through a merged summary, its lower summaries of the messages left out
   * can still be used. A covered id the history does not hold counts as left out.
   */
  summaries?: readonly MemorySummaryInput[];
  /** Share of the context the memory (facts + summaries + recalled messages) may take; default DEFAULT_MEMORY_SHARE. */
  share?: number;
  /**
   * Scores past messages for relevance to the new turn (e.g. a RecallIndex kept by the caller's
   * `scores`): the new message's text and the ids of the candidates (messages left out of the history)
   * -> score; ids not asked about are ignored. Must not throw. Omitted: no recall.
   */
  recall?: (query: string, candidates: ReadonlySet<string>) => ReadonlyMap<string, number>;
  /** The character's long-term memory from its other chats (given when the character's switch is on). */
  longTerm?: LongTermInput;
}

/**
 * What a character kept from its other chats. Their pinned facts always go in (after this chat's); the
 * passages the new turn recalls fill up to LONG_TERM_SHARE of the memory budget, whether or not this
 * chat's own history fits: a new chat is where they matter most.
 */
export interface LongTermInput {
  /** Facts pinned in the character's other chats, as they should read (deduplicated by the caller). */
  facts?: readonly string[];
  /** Messages and summaries of its other chats, oldest first; a summary has the role 'system'. */
  passages?: readonly LongTermPassage[];
  /** Scores passages for relevance to the new turn (ids not asked about are ignored). Must not throw. Omitted: no passages. */
  recall?: (query: string, candidates: ReadonlySet<string>) => ReadonlyMap<string, number>;
}

export interface LongTermPassage {
  id: string;
  role: ChatRole;
  text: string;
}

/** What the chat's memory took in one build, for the prompt inspector. */
export interface MemoryReport {
  /** Tokens memory may take: `share` of the context. */
  budget: number;
  /** Tokens it took: facts, summaries and recalled messages (each part's message overhead included). */
  used: number;
  /** Tokens of the pinned facts (always in, even over the budget). */
  facts: number;
  /** The summaries used, oldest first: tokens each adds, and how many messages it stands for. */
  summaries: { id: string; tokens: number; covers: number }[];
  /** The messages recalled, oldest first, with their relevance to the new turn. */
  recalled: { id: string; tokens: number; score: number }[];
  /** Present when the input has `longTerm`: tokens of the other chats' facts, and the passages recalled from them. */
  longTerm?: { facts: number; passages: { id: string; tokens: number; score: number }[] };
}

export interface MacroInput {
  now?: Date;
  rng?: () => number;
  /** Makes `{{pick}}` stable per chat. */
  chatId?: string;
  lastUserMessageAt?: Date | number | null;
}

export interface AssembleInput {
  /** NextChat's chat-completion body; every key besides `messages` is kept as it came. */
  body: ChatCompletionBody;
  character: Character | PromptCard;
  /** How many leading messages are the host's own system prompt (the caller detects them); never the last message. */
  hostSystemPrefix: number;
  /** Default 'drop'. */
  hostSystemMode?: HostSystemMode;
  /**
   * Messages right after the host prefix that are the host's kept context (NextChat's long-term memory
   * and its mask's `context` messages): kept as they are, before the chat history. Default: the system
   * messages that directly follow the prefix.
   */
  hostContextCount?: number;
  persona?: PersonaInput;
  authorNote?: AuthorNoteInput | null;
  /** Start the history with the card's greeting as an assistant message. */
  includeGreeting?: boolean;
  /** The greeting to use instead of `first_mes` (an alternate greeting the user picked). */
  greeting?: string;
  /** A loaded tokenizer's `count`; pass the same function every time so counts are cached. */
  countTokens: (text: string) => number;
  /** The model's context window in tokens (the caller defaults it from `contextSizeFor(model)`). */
  contextSize: number;
  /** Messages in the whole chat (NextChat sends only its last few); timed lore effects count in it. */
  chatLength?: number;
  /** User messages in the whole chat, the new one included, for the author's note's every-N. */
  userTurns?: number;
  lore?: LoreInput;
  /** The chat's memory besides its history. */
  memory?: MemoryInput;
  /** The chat's macro variables before this build. */
  variables?: MacroVariables;
  macros?: MacroInput;
  templates?: PromptTemplates;
}

/** Where a part of the prompt comes from, for the prompt inspector. */
export type PartSource =
  | 'host' // NextChat's own system prompt, memory or mask context
  | 'settings' // a SillyTavern default (main prompt, markers)
  | 'card'
  | 'persona'
  | 'lore'
  | 'author-note'
  | 'injection' // several in-chat insertions merged into one message
  | 'greeting'
  | 'history'
  | 'memory'; // the chat's memory: pinned facts, summaries of earlier messages, recalled messages

/** One message of the assembled prompt, as the prompt inspector shows it. */
export interface PromptPart {
  /** Stable within one build: `main`, `description`, `history-12`, `depth-4-system`, … */
  id: string;
  label: string;
  role: ChatRole;
  /** What this message costs, OpenAI's per-message overhead included. */
  tokens: number;
  /** The message's text (text parts joined for multimodal content). */
  text: string;
  source: PartSource;
}

export interface AssembledPrompt {
  /** The request body to send: the input body with `messages` replaced. */
  body: ChatCompletionBody;
  messages: ChatMessage[];
  /** One per message of `messages`, in the same order. */
  parts: PromptPart[];
  lore: {
    entries: ActivatedEntry[];
    warnings: LoreWarning[];
    budget: { limit: number; used: number; overflowed: boolean };
    skippedForBudget: SkippedEntry[];
    passes: number;
  };
  trimmed: {
    /** Older history messages left out to fit the context. */
    historyDropped: number;
    historyKept: number;
    greetingDropped: boolean;
  };
  fit: {
    contextSize: number;
    /** Tokens kept free for the reply. */
    reserved: number;
    /** Tokens the prompt may use: `contextSize - reserved`. */
    available: number;
    /** Tokens the prompt uses, reply priming included. */
    total: number;
    fits: boolean;
    /** Why it does not fit, in a sentence for the user. */
    message?: string;
  };
  /** Whether the author's note turn came up (every-N). */
  authorNoteInserted: boolean;
  /** What the chat's memory took; present when the input has `memory`. */
  memory?: MemoryReport;
  /** Persist for the chat and pass back as `lore.timedState` next turn. */
  timedState: LoreTimedState;
  /** The chat's macro variables after this build: persist them. */
  variables: MacroVariables;
}
