import type { Character } from '../cards/index.ts';
import { activate, emptyTimedState, loreBookFromCharacterBook, type ActivationResult, type CharacterBookLike, type LoreBook, type LoreBookSet } from '../lore/index.ts';
import { substituteMacros, type MacroContext, type MacroVariables } from '../macros/index.ts';
import { REPLY_PRIMING_TOKENS } from '../tokens/index.ts';
import type { AssembledPrompt, AssembleInput, PartSource, PromptCard, PromptPart } from './assemble-types.ts';
import { cannotFitMessage, replyReserve } from './budget.ts';
import { DEFAULT_MAIN_PROMPT, DEFAULT_USER_NAME } from './defaults.ts';
import { DEFAULT_EXAMPLE_CHAT_PROMPT, DEFAULT_NEW_CHAT_PROMPT, DEFAULT_POST_HISTORY_PROMPT, EXAMPLE_USER_NAME } from './defaults.ts';
import { PromptError } from './errors.ts';
import { parseExampleDialogues } from './examples.ts';
import { groupInsertions, insertionDepth, placeInsertions, type Insertion, type InsertionKind, type InsertionMessage } from './insertions.ts';
import { cachedCounter, messageTokens } from './token-cache.ts';
import { messageText, type ChatMessage, type ChatRole } from './types.ts';

/** One message of the prompt before token counting, with what the inspector says about it. */
interface Slot {
  message: ChatMessage;
  id: string;
  label: string;
  source: PartSource;
  /** Known once counted (history messages), so the parts list does not count them twice. */
  tokens?: number;
}

const ORIGINAL_MACRO = /\{\{\s*original\s*\}\}/i;
const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

const clampInt = (value: number, min: number, max: number): number =>
  Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;

const chatRole = (value: unknown): ChatRole => (ROLES as readonly unknown[]).includes(value) ? (value as ChatRole) : 'system';

function cardOf(character: Character | PromptCard): PromptCard {
  return 'spec' in character && typeof character.data === 'object' && character.data !== null ? (character.data as PromptCard) : (character as PromptCard);
}

/** Converted card books, so a 5,000-entry book is not rebuilt (and recompiled) on every turn. */
const cardBooks = new WeakMap<CharacterBookLike, LoreBook>();

function cardBookOf(card: PromptCard): LoreBook | null {
  const source = card.character_book;
  if (!source || !Array.isArray(source.entries) || source.entries.length === 0) return null;
  let book = cardBooks.get(source);
  if (!book) {
    book = loreBookFromCharacterBook(source, `${card.name} (card)`);
    cardBooks.set(source, book);
  }
  return book;
}

function depthPromptOf(card: PromptCard): { prompt: string; depth: number; role: ChatRole } | null {
  const raw = card.extensions?.['depth_prompt'];
  if (typeof raw !== 'object' || raw === null) return null;
  const { prompt, depth, role } = raw as Record<string, unknown>;
  if (typeof prompt !== 'string' || prompt.trim().length === 0) return null;
  return { prompt: prompt.trim(), depth: insertionDepth(depth), role: chatRole(role) };
}

/** System messages right after the host prefix: NextChat's memory and system-role mask context. Never the last message. */
function leadingSystem(messages: readonly ChatMessage[]): number {
  let n = 0;
  while (n < messages.length - 1 && messages[n]?.role === 'system') n++;
  return n;
}

/** One macro context for the whole build; variables set in one part are seen by the next. */
class MacroRunner {
  constructor(
    private readonly base: MacroContext,
    public variables: MacroVariables,
  ) {}

  run(text: string, seed: string, original?: string): string {
    // substituteMacros only acts on `{{…}}` and `<USER>`-style tags; skip the copy of the variables otherwise.
    if (!text.includes('{{') && !text.includes('<')) return text;
    const ctx: MacroContext = { ...this.base, variables: this.variables, pickSeed: seed };
    if (original !== undefined) ctx.original = original;
    const result = substituteMacros(text, ctx);
    this.variables = result.variables;
    return result.text;
  }
}

/** The card prompt that replaces a default one, with `{{original}}` standing for the default. */
function overridable(macros: MacroRunner, seed: string, fallback: string, override: string): string {
  if (override.length === 0) return macros.run(fallback, seed);
  const original = ORIGINAL_MACRO.test(override) ? macros.run(fallback, `${seed}/original`) : undefined;
  return macros.run(override, seed, original);
}

function lastTextOf(messages: readonly ChatMessage[], role?: ChatRole): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message && (role === undefined || message.role === role)) return messageText(message);
  }
  return undefined;
}

const INSERTION_SOURCE: Readonly<Record<InsertionKind, PartSource>> = { 'author-note': 'author-note', 'depth-prompt': 'card', lore: 'lore' };
const INSERTION_LABEL: Readonly<Record<InsertionKind, string>> = { 'author-note': "author's note", 'depth-prompt': 'character depth prompt', lore: 'lore' };

function insertionSlot(group: InsertionMessage): Slot {
  const [only] = group.kinds;
  return {
    message: { role: group.role, content: group.text },
    id: `depth-${group.depth}-${group.role}`,
    label: `At depth ${group.depth} (${group.role}): ${group.kinds.map((kind) => INSERTION_LABEL[kind]).join(' + ')}`,
    source: group.kinds.length === 1 && only ? INSERTION_SOURCE[only] : 'injection',
  };
}

type Activation = Pick<ActivationResult, 'entries' | 'buckets' | 'warnings' | 'budget' | 'skippedForBudget' | 'timedState' | 'passes'>;

/**
 * Builds the chat-completion messages for a character from NextChat's request body, in SillyTavern's
 * order: main prompt (or the card's `system_prompt`), World Info before, persona, description,
 * personality, scenario, World Info after, example dialogues, NextChat's kept context (memory, mask
 * context), the "[Start a new Chat]" marker, the chat history with the author's note, the card's depth
 * prompt and at-depth lore inserted from the end, then post-history instructions. Macros run on every
 * part with one context and the chat's variables are threaded through; the lorebook scans the history
 * as `Name: text` lines. The oldest history goes first when the context is short (never the new user
 * message, never a card or system part); when even that is not enough, `fit.fits` is false with a
 * readable message and the best fit is returned. Pure and synchronous; never throws on bad card or book
 * data (lore problems come back in `lore.warnings`).
 *
 * @example
 * const { count } = await tokenizerFor(body.model);
 * const built = assemblePrompt({ body, character, hostSystemPrefix: 1, countTokens: count, contextSize: contextSizeFor(body.model), lore: { timedState } });
 * send(built.body); saveTimedState(built.timedState); saveVariables(built.variables);
 */
export function assemblePrompt(input: AssembleInput): AssembledPrompt {
  const { body } = input;
  if (typeof input.contextSize !== 'number' || !Number.isFinite(input.contextSize) || input.contextSize < 1) {
    throw new PromptError('prompt/bad-context-size', `The context size must be a positive number of tokens, not ${String(input.contextSize)}`);
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new PromptError('prompt/empty-body', 'The request has no messages to build a prompt on');
  }
  const contextSize = Math.floor(input.contextSize);
  const count = cachedCounter(input.countTokens);
  const card = cardOf(input.character);
  const templates = input.templates ?? {};
  const preferCard = templates.preferCardPrompts !== false;
  const userName = input.persona?.name?.trim() || DEFAULT_USER_NAME;
  const charName = card.nickname?.trim() || card.name;

  // NextChat's body: [its system prompt] [memory, mask context] [recent history…, new user message].
  const all = body.messages;
  // The last message is the user's turn: no host prefix or context count may swallow it.
  const prefix = clampInt(input.hostSystemPrefix, 0, all.length - 1);
  const hostSystem = all.slice(0, prefix);
  const afterPrefix = all.slice(prefix);
  const contextCount = input.hostContextCount === undefined
    ? leadingSystem(afterPrefix)
    : clampInt(input.hostContextCount, 0, Math.max(0, afterPrefix.length - 1));
  const hostContext = afterPrefix.slice(0, contextCount);
  const chat = afterPrefix.slice(contextCount);

  const macros = new MacroRunner(
    {
      char: card.name,
      nickname: card.nickname,
      user: userName,
      description: card.description,
      personality: card.personality,
      scenario: card.scenario,
      persona: input.persona?.description,
      mesExamples: card.mes_example,
      model: typeof body.model === 'string' ? body.model : undefined,
      lastMessage: lastTextOf(chat),
      lastUserMessage: lastTextOf(chat, 'user'),
      lastCharMessage: lastTextOf(chat, 'assistant'),
      now: input.macros?.now,
      rng: input.macros?.rng,
      chatId: input.macros?.chatId,
      lastUserMessageAt: input.macros?.lastUserMessageAt,
    },
    { ...input.variables },
  );

  // History, oldest first: the greeting (when asked for), then what NextChat sent. Never macro-expanded
  // (it is what the user and the model wrote), except the greeting, which comes from the card.
  const history: Slot[] = [];
  const greetingSource = input.includeGreeting ? (input.greeting ?? card.first_mes ?? '').trim() : '';
  const greeting = greetingSource.length > 0 ? macros.run(greetingSource, 'greeting').trim() : '';
  if (greeting.length > 0) history.push({ message: { role: 'assistant', content: greeting }, id: 'greeting', label: 'Greeting', source: 'greeting' });
  const chatLabels: Readonly<Record<ChatRole, string>> = { user: `${userName} (chat)`, assistant: `${charName} (chat)`, system: 'System (chat)' };
  chat.forEach((message, i) => {
    const label = i === chat.length - 1 ? 'New message' : (chatLabels[message.role] ?? chatLabels.system);
    history.push({ message, id: `history-${i}`, label, source: 'history' });
  });

  // The author's note comes up every N user turns (SillyTavern: interval 1 = every turn).
  const note = input.authorNote ?? null;
  const everyN = Math.floor(note?.everyN ?? 1);
  const userTurns = input.userTurns ?? history.filter((slot) => slot.message.role === 'user').length;
  const noteDue = !(everyN > 1) || (userTurns > 0 && userTurns % everyN === 0);
  const noteText = note && noteDue ? macros.run(note.text.trim(), 'author-note').trim() : '';

  const reserved = replyReserve(body, contextSize);
  const available = contextSize - reserved;
  const lore = activateLore(input, card, history, userName, charName, available, macros, note?.scan && noteText ? [noteText] : []);

  // Everything before the history, in SillyTavern's order.
  const head: Slot[] = [];
  const add = (list: Slot[], slot: Omit<Slot, 'message'> & { role: ChatRole; text: string }) => {
    const content = slot.text.trim();
    if (content.length > 0) list.push({ message: { role: slot.role, content }, id: slot.id, label: slot.label, source: slot.source });
  };
  const mode = input.hostSystemMode ?? 'drop';
  if (mode === 'keep') {
    hostSystem.forEach((message, i) => {
      if (messageText(message).trim().length > 0) head.push({ message, id: `host-system-${i}`, label: "NextChat's system prompt", source: 'host' });
    });
  }
  const cardMain = preferCard ? (card.system_prompt ?? '').trim() : '';
  let main = overridable(macros, 'main', templates.main ?? DEFAULT_MAIN_PROMPT, cardMain).trim();
  let mainSource: PartSource = cardMain.length > 0 ? 'card' : 'settings';
  let mainLabel = cardMain.length > 0 ? "Main prompt (the card's system prompt)" : 'Main prompt';
  if (mode === 'merge') {
    const hostText = hostSystem.map((message) => messageText(message).trim()).filter((text) => text.length > 0).join('\n\n');
    if (hostText.length > 0) {
      main = main.length > 0 ? `${hostText}\n\n${main}` : hostText;
      mainSource = 'host';
      mainLabel = `${mainLabel} with NextChat's system prompt on top`;
    }
  }
  add(head, { id: 'main', label: mainLabel, source: mainSource, role: 'system', text: main });
  add(head, { id: 'world-info-before', label: 'World Info (before the character)', source: 'lore', role: 'system', text: lore.buckets.before.join('\n') });
  add(head, { id: 'persona', label: `Persona (${userName})`, source: 'persona', role: 'system', text: macros.run(input.persona?.description?.trim() ?? '', 'persona') });
  add(head, { id: 'description', label: 'Character description', source: 'card', role: 'system', text: macros.run(card.description?.trim() ?? '', 'description') });
  add(head, { id: 'personality', label: 'Personality', source: 'card', role: 'system', text: macros.run(card.personality?.trim() ?? '', 'personality') });
  add(head, { id: 'scenario', label: 'Scenario', source: 'card', role: 'system', text: macros.run(card.scenario?.trim() ?? '', 'scenario') });
  add(head, { id: 'world-info-after', label: 'World Info (after the character)', source: 'lore', role: 'system', text: lore.buckets.after.join('\n') });

  // Example dialogues: lore "before examples" blocks, the card's, lore "after examples" blocks.
  const speakers = { user: userName, char: [charName, card.name] };
  const exampleBlocks: { messages: ChatMessage[]; source: PartSource }[] = [];
  const addBlocks = (text: string, source: PartSource) => {
    for (const messages of parseExampleDialogues(text, speakers)) exampleBlocks.push({ messages, source });
  };
  for (const text of lore.buckets.emTop) addBlocks(text, 'lore');
  const cardExamples = card.mes_example?.trim() ?? '';
  if (cardExamples.length > 0) addBlocks(macros.run(cardExamples, 'examples'), 'card');
  for (const text of lore.buckets.emBottom) addBlocks(text, 'lore');
  const exampleMarker = exampleBlocks.length > 0 ? macros.run(templates.exampleChat ?? DEFAULT_EXAMPLE_CHAT_PROMPT, 'example-chat') : '';
  exampleBlocks.forEach((block, b) => {
    add(head, { id: `example-${b}`, label: `Example dialogue ${b + 1}: marker`, source: 'settings', role: 'system', text: exampleMarker });
    block.messages.forEach((message, i) => {
      const who = message.name === undefined ? 'text' : message.name === EXAMPLE_USER_NAME ? userName : charName;
      head.push({ message, id: `example-${b}-${i}`, label: `Example dialogue ${b + 1}: ${who}`, source: block.source });
    });
  });

  hostContext.forEach((message, i) => {
    head.push({ message, id: `host-context-${i}`, label: message.role === 'system' ? "NextChat's memory or mask context" : `NextChat's mask context (${message.role})`, source: 'host' });
  });
  add(head, { id: 'new-chat', label: 'Start of the chat marker', source: 'settings', role: 'system', text: macros.run(templates.newChat ?? DEFAULT_NEW_CHAT_PROMPT, 'new-chat') });

  // In-chat insertions, placed from the end of the history once we know how much of it is kept.
  const insertions: Insertion[] = [];
  if (noteDue) {
    const text = [...lore.buckets.anTop, noteText, ...lore.buckets.anBottom].filter((part) => part.trim().length > 0).join('\n');
    insertions.push({ depth: insertionDepth(note?.depth), role: chatRole(note?.role ?? 'system'), kind: 'author-note', text });
  }
  const depthPrompt = depthPromptOf(card);
  if (depthPrompt) insertions.push({ depth: depthPrompt.depth, role: depthPrompt.role, kind: 'depth-prompt', text: macros.run(depthPrompt.prompt, 'depth-prompt') });
  for (const group of lore.buckets.atDepth) {
    insertions.push({ depth: insertionDepth(group.depth), role: chatRole(group.role), kind: 'lore', text: group.contents.join('\n') });
  }
  const groups = groupInsertions(insertions);
  const groupSlots = new Map(groups.map((group) => [group, insertionSlot(group)]));

  const tail: Slot[] = [];
  const cardPost = preferCard ? (card.post_history_instructions ?? '').trim() : '';
  add(tail, {
    id: 'post-history',
    label: cardPost.length > 0 ? "Post-history instructions (the card's)" : 'Post-history instructions',
    source: cardPost.length > 0 ? 'card' : 'settings',
    role: 'system',
    text: overridable(macros, 'post-history', templates.postHistory ?? DEFAULT_POST_HISTORY_PROMPT, cardPost),
  });

  // Fit: every part but older history is fixed; keep the newest history that fits, the new message always.
  const cost = (slot: Slot) => messageTokens(slot.message, count);
  let fixed = REPLY_PRIMING_TOKENS;
  for (const slot of head) fixed += cost(slot);
  for (const slot of groupSlots.values()) fixed += cost(slot);
  for (const slot of tail) fixed += cost(slot);
  const historyTokens = history.map(cost);
  history.forEach((slot, i) => {
    slot.tokens = historyTokens[i];
  });
  let keepFrom = history.length;
  let total = fixed;
  if (history.length > 0) {
    keepFrom = history.length - 1;
    total += historyTokens[keepFrom] ?? 0;
  }
  const fits = total <= available;
  if (fits) {
    while (keepFrom > 0) {
      const tokens = historyTokens[keepFrom - 1] ?? 0;
      if (total + tokens > available) break;
      total += tokens;
      keepFrom--;
    }
  }
  const kept = history.slice(keepFrom);

  const ordered: Slot[] = [...head];
  for (const item of placeInsertions(kept, groups)) ordered.push('message' in item ? item : (groupSlots.get(item) ?? insertionSlot(item)));
  ordered.push(...tail);

  const parts: PromptPart[] = ordered.map((slot) => ({
    id: slot.id,
    label: slot.label,
    role: slot.message.role,
    tokens: slot.tokens ?? cost(slot),
    text: messageText(slot.message),
    source: slot.source,
  }));
  const messages = ordered.map((slot) => slot.message);

  return {
    body: { ...body, messages },
    messages,
    parts,
    lore: { entries: lore.entries, warnings: lore.warnings, budget: lore.budget, skippedForBudget: lore.skippedForBudget, passes: lore.passes },
    trimmed: {
      historyDropped: keepFrom,
      historyKept: kept.length,
      greetingDropped: greeting.length > 0 && keepFrom > 0,
    },
    fit: fits
      ? { contextSize, reserved, available, total, fits }
      : { contextSize, reserved, available, total, fits, message: cannotFitMessage(total, contextSize, reserved) },
    authorNoteInserted: noteDue && groups.some((group) => group.kinds.includes('author-note')),
    timedState: lore.timedState,
    variables: macros.variables,
  };
}

/** Runs the lorebook over the history (`Name: text` lines, oldest first), or returns an empty result when there is no book. */
function activateLore(
  input: AssembleInput,
  card: PromptCard,
  history: readonly Slot[],
  userName: string,
  charName: string,
  available: number,
  macros: MacroRunner,
  injected: readonly string[],
): Activation {
  const options = input.lore ?? {};
  const cardBook = options.cardBook === false ? null : cardBookOf(card);
  const extra = options.books ?? {};
  const books: LoreBookSet = { ...extra, character: cardBook ? [cardBook, ...(extra.character ?? [])] : extra.character };
  const hasBooks = [books.chat, books.persona, books.character, books.global].some((list) => (list?.length ?? 0) > 0);
  if (!hasBooks) {
    return {
      entries: [],
      buckets: { before: [], after: [], anTop: [], anBottom: [], emTop: [], emBottom: [], atDepth: [] },
      warnings: [],
      budget: { limit: 0, used: 0, overflowed: false },
      skippedForBudget: [],
      timedState: options.timedState ?? emptyTimedState(),
      passes: 0,
    };
  }
  const lines = history.map(({ message }) => {
    const text = messageText(message);
    if (message.role === 'user') return `${userName}: ${text}`;
    if (message.role === 'assistant') return `${charName}: ${text}`;
    return text;
  });
  return activate({
    books,
    messages: lines,
    contextSize: available,
    countTokens: input.countTokens,
    settings: options.settings,
    timedState: options.timedState,
    chatLength: input.chatLength,
    rng: options.rng,
    substitute: (text) => macros.run(text, 'lore'),
    injected,
    dryRun: options.dryRun,
  });
}
