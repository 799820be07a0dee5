import type { Character, Lorebook } from '@troupe/shared/cards';
import type { LoreBook, LoreBookSet } from '@troupe/shared/lore';
import type { ChatPromptState } from '../../messaging/chat-prompt-state.ts';
import { assemblePrompt, historyOf, inputFromKit, PROMPT_KIT_FORMAT, withWholeChat, type ChatCompletionBody, type KitBuildContext, type PromptKit, type SessionRecord, type WholeChat } from '@troupe/shared/prompt';
import { MessageRecall } from '@troupe/shared/memory';
import { tokenizerFor, type Tokenizer } from '@troupe/shared/tokens';
import { nextChatSystemPrefix, providerNameOf, readChatTurn, writeChatTurn, type WireFormat } from '@troupe/shared/providers';
import { bookRoles } from './book-roles.ts';
import { chatSettingsOrDefault, chosenGreeting, greetingsOf, type PersonaSettings, type StoredChatSettings } from '../../messaging/chat-settings.ts';
import { LorebookCache } from './lorebook-cache.ts';
import { DEFAULT_MEMORY_PERCENT, uniqueIds, type PromptSettings } from '../../messaging/prompt-settings.ts';
import { toPromptReport, type LoreBookInfo, type LoreSource, type PromptReport } from '@troupe/shared/prompt';
import { resolvePersona, type SavedPersona } from '../../messaging/personas.ts';
import { MAX_KIT_TOKEN_TEXT_CHARS, PROMPT_STATE_WRITE_DELAY_MS } from '../../messaging/limits/prompt.ts';
import type { Change, ChangeSource } from '../changes/change-feed.ts';
import { VersionedCache } from './versioned-cache.ts';

/** The model whose tokenizer a warm-up loads when the chat has not been built since the worker started. */
const WARM_MODEL = 'gpt-4o-mini';

/** Chats whose last report is kept for the inspector (the least recently built are forgotten). */
const MAX_REPORTS = 50;

export type { ChatPromptState };

export interface PromptServiceDeps {
  /** The chat's active character id and saved prompt state. */
  readChat(chatKey: string): Promise<{ characterId: string | null; promptState: ChatPromptState | null; settings?: StoredChatSettings | null }>;
  /** The persona of chats that do not set their own. */
  defaultPersona(): Promise<PersonaSettings>;
  /** The user's saved personas, which chat and default personas may follow by id. */
  savedPersonas(): Promise<SavedPersona[]>;
  /** Global books, insertion strategy and NextChat's system prompt mode. */
  promptSettings(): Promise<PromptSettings>;
  /** The character's version (`updatedAt` of its index row), null when it is gone: a cheap check on every request. */
  characterVersion(id: string): Promise<number | null>;
  /** The whole card, read from its doc: only when the version changed. */
  readCard(id: string): Promise<Character | null>;
  /**
   * The library book the card links (`extensions.world`) with its version, null when the library lacks it.
   * Resolved on every request, so a world imported after the card is picked up.
   */
  linkedLorebookRef(characterId: string): Promise<{ id: string; version: number } | null>;
  /** Each library book's version (`updatedAt` of its index row), null when gone: a cheap check on every request. */
  lorebookVersions(ids: readonly string[]): Promise<(number | null)[]>;
  /** A whole library book, read from its doc: only when its version changed. */
  readLorebook(id: string): Promise<Lorebook | null>;
  /** Exchanges Troupe remembered in this chat (each is one user and one character message). */
  exchanges(chatKey: string): Promise<number>;
  /** The chat's memory for prompts: its pinned facts and its current summaries (message ids flattened). */
  memory(chatKey: string): Promise<PromptKit['memory']>;
  savePromptState(chatKey: string, state: ChatPromptState): Promise<void>;
  now(): Date;
  /** The background's change feed: what the service keeps is keyed by its versions, and chats drop out on their writes. */
  changes: ChangeSource;
}

export interface BuiltRequest {
  /** The rewritten body, or null to send NextChat's request unchanged. */
  body: string | null;
  characterId: string | null;
  /** The turn's new user message as plain text ('' when the body was not rewritten). */
  userText: string;
  report: PromptReport | null;
}

/** Why a library book could not be used, for the inspector. */
const MISSING_BOOK: Readonly<Record<LoreSource, string>> = {
  chat: 'A lorebook bound to this chat is no longer in your library.',
  global: 'A lorebook enabled for every chat is no longer in your library.',
  character: "The character's linked World Info could not be read.",
};

/**
 * Builds the character's prompt for one NextChat request, in the background (which owns the library
 * and the tokenizer). Parsed cards and library lorebooks are kept per version, because the lore engine
 * caches compilation by book identity and compiling a large book costs far more than a build.
 *
 * Lore follows SillyTavern's roles: the card's own book and its linked World Info are character lore,
 * books bound to the chat are chat lore (scanned first), books enabled for every chat are global lore;
 * character and global lore interleave by the insertion strategy, and a book is used once.
 */
/** A chat's recall indexes: of its own messages, and of its character's other chats (long-term memory). */
interface ChatRecalls {
  chat: MessageRecall;
  longTerm: MessageRecall;
}

export class PromptService {
  private readonly tokenizers = new Map<string, Promise<Tokenizer>>();
  private readonly cards = new Map<string, { updatedAt: number; card: Character }>();
  private readonly books: LorebookCache;
  private readonly reports = new Map<string, PromptReport>();
  /** The latest prompt state per chat: the store is written behind it, off the request's path. */
  private readonly states = new Map<string, ChatPromptState>();
  /** Chats whose prompt state waits to be written. */
  private readonly unsaved = new Map<string, ReturnType<typeof setTimeout>>();
  /** Each chat's binding, settings and length, read once and kept until the chat is written (see `heard`). */
  private readonly chats = new Map<string, Promise<{ chat: Awaited<ReturnType<PromptServiceDeps['readChat']>>; exchanges: number }>>();
  /** Each character's version, as of the characters table's version. */
  private readonly versions = new VersionedCache<number | null>();
  /** Each library book's version, as of the lorebooks table's version. */
  private readonly bookVersions = new VersionedCache<number | null>();
  /** Each card's linked world, as of both tables' versions (a world imported after its card is found). */
  private readonly linkedRefs = new VersionedCache<{ id: string; version: number } | null>();
  /** Each chat's memory for prompts, as of the memories and characters tables' versions (see memoryVersion). */
  private readonly memories = new VersionedCache<PromptKit['memory']>();
  /** Recall indexes of the chats built here lately (see MessageRecall), the least recently used dropped. */
  private readonly recalls = new Map<string, ChatRecalls>();
  /** Personas and global prompt settings, as of the settings' version. */
  private readonly settings = new VersionedCache<{ personas: { fallback: PersonaSettings; saved: SavedPersona[] }; globals: PromptSettings }>();

  constructor(private readonly deps: PromptServiceDeps) {
    this.books = new LorebookCache((id) => deps.readLorebook(id));
    deps.changes.subscribe((change) => this.heard(change));
  }

  /**
   * A chat was written: its kept binding and settings go (its own prompt-state writes aside: the service
   * holds those already). A reply was stored: only the chat's length changed, so it is counted again now,
   * off the next request's path, rather than read with the rest of the chat.
   */
  private heard(change: Change): void {
    const chatKeys = [...change.ids, ...change.removed];
    if (change.table === 'chatLog') for (const chatKey of chatKeys) this.recount(chatKey);
    else if (change.table === 'chats' && change.origin !== 'prompt-state' && change.origin !== 'reply') for (const chatKey of chatKeys) this.chats.delete(chatKey);
  }

  private recount(chatKey: string): void {
    const context = this.chats.get(chatKey);
    if (!context) return;
    const updated = context.then(async (kept) => ({ ...kept, exchanges: await this.deps.exchanges(chatKey) }));
    this.chats.set(chatKey, updated);
    updated.catch(() => { if (this.chats.get(chatKey) === updated) this.chats.delete(chatKey); });
  }

  /**
   * Builds the chat's character into one request NextChat made: `request.body` as the page sent it, in
   * `request.format` (its URL carries what Gemini keeps there). The prompt is built once, as chat
   * messages, and written back in the request's own format. Its history is the whole chat of
   * `request.session` (NextChat's store, as the page read it) when it lines up with the request, else
   * NextChat's window.
   */
  async build(chatKey: string, request: { body: string; url: string; format: WireFormat; userText?: string; session?: SessionRecord | null }): Promise<BuiltRequest> {
    const none: BuiltRequest = { body: null, characterId: null, userText: '', report: null };
    // The content script vouched for the user text (the person sent it); a body saying otherwise is not that turn.
    const turn = readChatTurn(request, request.userText);
    if (!turn) return none;
    const hostSystemPrefix = nextChatSystemPrefix(turn.chat);
    const whole: WholeChat = request.session
      ? withWholeChat(turn.chat, hostSystemPrefix, request.session)
      : { body: turn.chat, ids: [], source: 'nextchat-window', added: 0, reason: "Troupe could not read NextChat's saved chat" };
    const prepared = await this.prepare(chatKey, whole.body, hostSystemPrefix, request.session && whole.source === 'whole-chat' ? this.wholeChat(chatKey, whole, request.session) : undefined);
    if (!prepared) return none;
    const { input, characterId, character, lore, model, now } = prepared;
    const built = assemblePrompt(input);
    const state: ChatPromptState = { version: 1, timedState: built.timedState, variables: built.variables };
    this.states.set(chatKey, state);
    this.saveLater(chatKey);
    const report = toPromptReport(built, character.card.data.name, { model, provider: providerNameOf(turn, chatKey) }, now.getTime(), lore.info, historyOf(whole));
    this.remember(chatKey, report);
    // Checked in the background, on the objects it just wrote (no parse on the page's thread): the MAIN
    // world, where page scripts may have replaced built-ins, only checks the shape it is handed.
    return { body: writeChatTurn(turn, built.body), characterId, userText: turn.userText, report };
  }

  /**
   * Everything a build of `chat` for this chat needs (null when no character speaks there): the chat's
   * binding and settings, the card, its lore, the tokenizer and the prompt state, each from what the
   * service keeps when it can.
   */
  /** A chat's memory for prompts depends on every chat's memory (long-term memory) and on its character's options. */
  private memoryVersion(): string {
    const { changes } = this.deps;
    return `${changes.version('memories')}:${changes.version('characters')}`;
  }

  /** What memory needs of a build over the whole chat: which stored message each one is, and recall over the rest. */
  private wholeChat(chatKey: string, whole: WholeChat, session: SessionRecord): KitBuildContext['wholeChat'] {
    const index = this.recallsFor(chatKey).chat;
    const storedIds = new Set(session.messages.flatMap((m) => (m.id ? [m.id] : [])));
    // Indexed only when the assembler asks (the chat outgrew the context), and then only what changed.
    return { historyIds: whole.ids, storedIds, recall: index.scorer(session.messages) };
  }

  /** The chat's recall indexes (its messages; its character's other chats), the least recently used dropped. */
  private recallsFor(chatKey: string): ChatRecalls {
    let recalls = this.recalls.get(chatKey);
    if (recalls) this.recalls.delete(chatKey);
    else recalls = { chat: new MessageRecall(), longTerm: new MessageRecall() };
    this.recalls.set(chatKey, recalls);
    if (this.recalls.size > MAX_REPORTS) this.recalls.delete(this.recalls.keys().next().value!);
    return recalls;
  }

  private async prepare(chatKey: string, chat: ChatCompletionBody, hostSystemPrefix: number, wholeChat?: KitBuildContext['wholeChat']) {
    const model = typeof chat.model === 'string' ? chat.model : '';
    // Independent reads run together: this is on the request's path (time to first byte).
    const [gathered, tokenizer] = await Promise.all([this.gather(chatKey), this.tokenizer(model)]);
    if (!gathered) return null;
    const { kit, character, lore } = gathered;
    const now = this.deps.now();
    const passages = kit.memory.longTerm?.passages;
    const input = inputFromKit(kit, {
      body: chat, hostSystemPrefix, now, countTokens: tokenizer.count, ...(wholeChat ? { wholeChat } : {}),
      ...(passages ? { longTermRecall: this.recallsFor(chatKey).longTerm.scorer(passages) } : {}),
    });
    return { input, characterId: kit.characterId, character, lore, model, now };
  }

  /** The chat's kit (without token counts) and what it was made from; null when no character speaks there. */
  private async gather(chatKey: string) {
    const [{ chat: { characterId, promptState: stored, settings: saved }, exchanges }, { personas, globals }, memory] = await Promise.all([
      this.chatContext(chatKey), this.cachedSettings(), this.memories.get(chatKey, this.memoryVersion(), () => this.deps.memory(chatKey)),
    ]);
    if (!characterId) return null;
    const settings = chatSettingsOrDefault(saved);
    const [character, lore] = await Promise.all([
      this.character(characterId), this.loreBooks(characterId, settings.lorebookIds, globals.globalLorebookIds),
    ]);
    if (!character) return null;
    const promptState = this.states.get(chatKey) ?? stored;
    const note = settings.authorNote;
    const kit: Omit<PromptKit, 'tokens'> = {
      format: PROMPT_KIT_FORMAT,
      chatKey,
      characterId,
      card: character.card,
      books: lore.set,
      bookSources: [...lore.info.sources],
      bookWarnings: [...lore.info.warnings],
      persona: resolvePersona(settings.persona ?? personas.fallback, personas.saved),
      authorNote: note.text.trim() ? { text: note.text, depth: note.depth, role: note.role, everyN: note.everyN } : null,
      greeting: chosenGreeting(greetingsOf(character.card.data), settings.greetingIndex),
      hostSystemMode: settings.hostSystemMode ?? globals.hostSystemMode,
      insertionStrategy: globals.insertionStrategy,
      contextSize: globals.contextSize ?? null,
      memoryShare: (globals.memoryPercent ?? DEFAULT_MEMORY_PERCENT) / 100,
      exchanges,
      timedState: promptState?.timedState ?? null,
      variables: promptState?.variables ?? {},
      memory,
    };
    return { kit, character, lore };
  }

  /**
   * The chat's prompt kit for the content script, which then builds the prompts of this chat itself, in
   * the request's own task: with the exact token counts of every text a build for `model` counts now
   * (a throwaway build records them; the page estimates what it meets later and asks for those counts).
   */
  async kit(chatKey: string, model: string): Promise<PromptKit | null> {
    const [gathered, tokenizer] = await Promise.all([this.gather(chatKey), this.tokenizer(model || WARM_MODEL)]);
    if (!gathered) return null;
    const tokens = new Map<string, number>();
    const recording = (text: string) => {
      const n = tokenizer.count(text);
      if (text.length <= MAX_KIT_TOKEN_TEXT_CHARS) tokens.set(text, n);
      return n;
    };
    const body: ChatCompletionBody = { messages: [{ role: 'user', content: '' }], model: model || WARM_MODEL, stream: true };
    const input = inputFromKit(gathered.kit, { body, hostSystemPrefix: 0, now: this.deps.now(), countTokens: recording });
    // Also warms what a build here needs (card, compiled books, tokenizer) for the fallback path.
    assemblePrompt({ ...input, lore: { ...input.lore, dryRun: true } });
    return { ...gathered.kit, tokens: [...tokens] };
  }

  /** The model of the chat's last request (whose tokenizer counts the chat's memory), or the warm-up model. */
  modelFor(chatKey: string): string {
    return this.lastReport(chatKey)?.model || WARM_MODEL;
  }

  /** Exact token counts of `texts` for the model of the chat's last request (the memory section's costs). */
  async countForChat(chatKey: string, texts: readonly string[]): Promise<number[]> {
    return this.countTokens(this.modelFor(chatKey), texts);
  }

  /** Exact token counts of `texts` for `model` (texts a page-side build estimated). */
  async countTokens(model: string, texts: readonly string[]): Promise<number[]> {
    const tokenizer = await this.tokenizer(model || WARM_MODEL);
    return texts.map((text) => tokenizer.count(text));
  }

  /**
   * A prompt the content script built from its kit went out: its report is the chat's latest, and its
   * lore timers and variables are the chat's state from now on (written behind, as after a build here).
   */
  used(chatKey: string, outcome: { state: ChatPromptState; report: PromptReport }): void {
    this.states.set(chatKey, outcome.state);
    this.saveLater(chatKey);
    this.remember(chatKey, outcome.report);
  }

  private cachedSettings() {
    return this.settings.get('', this.deps.changes.version('settings'), () => Promise.all([this.deps.defaultPersona(), this.deps.savedPersonas(), this.deps.promptSettings()])
      .then(([fallback, saved, globals]) => ({ personas: { fallback, saved }, globals })));
  }

  private chatContext(chatKey: string) {
    return kept(this.chats, chatKey, () => Promise.all([this.deps.readChat(chatKey), this.deps.exchanges(chatKey)]).then(([chat, exchanges]) => ({ chat, exchanges })));
  }

  /**
   * Writes the chat's prompt state PROMPT_STATE_WRITE_DELAY_MS later (once for a burst of requests):
   * an IndexedDB write while the request is in flight slowed its first byte by ~1.5 ms in the bench.
   * Until then `states` holds it; it is lost only if the worker stops within that delay.
   */
  private saveLater(chatKey: string): void {
    if (this.unsaved.has(chatKey)) return;
    this.unsaved.set(chatKey, setTimeout(() => {
      this.unsaved.delete(chatKey);
      const state = this.states.get(chatKey);
      if (state) this.deps.savePromptState(chatKey, state).catch((error: unknown) => console.error('Troupe: could not save the chat\'s prompt state', error));
    }, PROMPT_STATE_WRITE_DELAY_MS));
  }

  /** The inspector's view of the chat's last request, if Troupe built one since the background started. */
  lastReport(chatKey: string): PromptReport | null {
    return this.reports.get(chatKey) ?? null;
  }

  /** Loads the tokenizer early (on activation) so the first request does not pay for it. */
  warmUp(model: string): void {
    void this.tokenizer(model).catch(() => {});
  }

  private async character(id: string) {
    const version = await this.versions.get(id, this.deps.changes.version('characters'), () => this.deps.characterVersion(id));
    if (version === null) return null;
    const cached = this.cards.get(id);
    if (cached && cached.updatedAt === version) return cached;
    const card = await this.deps.readCard(id);
    if (!card) return null;
    const fresh = { updatedAt: version, card };
    this.cards.set(id, fresh);
    return fresh;
  }

  /**
   * The library books of this build by role (the card's own book is added by the assembler as the first
   * character book). Versions are kept as of the library's; a book is read again only when it changed.
   */
  private async loreBooks(characterId: string, chatIds: readonly string[], globalIds: readonly string[]): Promise<{ set: LoreBookSet; info: LoreBookInfo }> {
    const wanted = uniqueIds([...globalIds, ...chatIds]);
    const books = this.deps.changes.version('lorebooks');
    const [linked, versions] = await Promise.all([
      this.linkedRefs.get(characterId, `${this.deps.changes.version('characters')}.${books}`, () => this.deps.linkedLorebookRef(characterId)),
      Promise.all(wanted.map((id) => this.bookVersions.get(id, books, async () => (await this.deps.lorebookVersions([id]))[0] ?? null))),
    ]);
    const versionOf = new Map<string, number | null>(wanted.map((id, i) => [id, versions[i] ?? null]));
    if (linked) versionOf.set(linked.id, linked.version);
    const refs = bookRoles(globalIds, chatIds, linked?.id ?? null);
    const read = await Promise.all(refs.map(({ id }) => {
      const version = versionOf.get(id) ?? null;
      return version === null ? Promise.resolve(null) : this.books.get(id, version);
    }));
    const set: Record<LoreSource, LoreBook[]> = { chat: [], character: [], global: [] };
    const sources = new Map<string, LoreSource>();
    const warnings = new Set<string>();
    refs.forEach(({ source }, i) => {
      const book = read[i];
      if (!book) {
        warnings.add(MISSING_BOOK[source]);
        return;
      }
      set[source].push(book);
      if (!sources.has(book.name)) sources.set(book.name, source);
    });
    return { set, info: { sources, warnings: [...warnings] } };
  }

  private tokenizer(model: string): Promise<Tokenizer> {
    return kept(this.tokenizers, model, () => tokenizerFor(model));
  }

  private remember(chatKey: string, report: PromptReport) {
    this.reports.delete(chatKey);
    this.reports.set(chatKey, report);
    if (this.reports.size > MAX_REPORTS) this.reports.delete(this.reports.keys().next().value!);
  }
}

/**
 * The value kept in `cache` for `key`, loading it once; a failed load is not kept, so the next call
 * tries again. The caller clears the cache when what it holds may have changed.
 */
function kept<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    const loading = load();
    value = loading;
    cache.set(key, loading);
    loading.catch(() => { if (cache.get(key) === loading) cache.delete(key); });
  }
  return value;
}
