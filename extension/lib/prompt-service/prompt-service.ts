import type { Character, Lorebook } from '@troupe/shared/cards';
import { loreBookFromCharacterBook } from '@troupe/shared/lore';
import type { ChatPromptState } from '../db/chat-prompt-state.ts';
import { assemblePrompt, messageText, type ChatCompletionBody } from '@troupe/shared/prompt';
import { contextSizeFor, tokenizerFor, type Tokenizer } from '@troupe/shared/tokens';
import { classifyChatBody, nextChatSystemPrefix } from '../nextchat/requests.ts';
import { chatSettingsOrDefault, chosenGreeting, greetingsOf, type ChatSettings, type PersonaSettings } from './chat-settings.ts';
import { toPromptReport, type PromptReport } from './report.ts';
import { resolvePersona, type SavedPersona } from '../personas/saved-personas.ts';

/** Chats whose last report is kept for the inspector (the least recently built are forgotten). */
const MAX_REPORTS = 50;

export type { ChatPromptState };

/**
 * Whether NextChat sent the chat from its first message: its window holds more user turns than Troupe
 * has remembered exchanges (the new turn included), so nothing older was cut off and the greeting belongs
 * at the top. Once NextChat's window slides past the start, the greeting is no longer part of it.
 */
export function startsAtBeginning(body: ChatCompletionBody, exchanges: number): boolean {
  const userTurns = body.messages.filter((m) => m.role === 'user').length;
  return userTurns > exchanges;
}

export interface PromptServiceDeps {
  /** The chat's active character id and saved prompt state. */
  readChat(chatKey: string): Promise<{ characterId: string | null; promptState: ChatPromptState | null; settings?: ChatSettings | null }>;
  /** The persona of chats that do not set their own. */
  defaultPersona(): Promise<PersonaSettings>;
  /** The user's saved personas, which chat and default personas may follow by id. */
  savedPersonas(): Promise<SavedPersona[]>;
  /** The character's version (`updatedAt` of its index row), null when it is gone: a cheap check on every request. */
  characterVersion(id: string): Promise<number | null>;
  /** The whole card, read from its doc: only when the version changed. */
  readCard(id: string): Promise<Character | null>;
  /** The World Info book the card links (`extensions.world`), if the library has it. */
  linkedLorebook(characterId: string): Promise<Lorebook | null>;
  /** Exchanges Troupe remembered in this chat (each is one user and one character message). */
  exchanges(chatKey: string): Promise<number>;
  savePromptState(chatKey: string, state: ChatPromptState): Promise<void>;
  now(): Date;
}

export interface BuiltRequest {
  /** The rewritten body, or null to send NextChat's request unchanged. */
  body: string | null;
  characterId: string | null;
  /** The turn's new user message as plain text ('' when the body was not rewritten). */
  userText: string;
  report: PromptReport | null;
}

/**
 * Builds the character's prompt for one NextChat request, in the background (which owns the library
 * and the tokenizer). Parsed cards and their compiled lorebooks are kept per card version, because the
 * lore engine caches compilation by book identity and compiling a large book costs far more than a build.
 */
export class PromptService {
  private readonly tokenizers = new Map<string, Promise<Tokenizer>>();
  private readonly cards = new Map<string, { updatedAt: number; card: Character; linked: Lorebook | null }>();
  private readonly reports = new Map<string, PromptReport>();
  /** The latest prompt state per chat: the store is written behind it, off the request's path. */
  private readonly states = new Map<string, ChatPromptState>();
  /** Each chat's binding, settings and length, read once and kept until a chat write says `forget`. */
  private readonly chats = new Map<string, Promise<{ chat: Awaited<ReturnType<PromptServiceDeps['readChat']>>; exchanges: number }>>();
  /** Each character's version, kept until the library says characters changed (`forgetCharacters`). */
  private readonly versions = new Map<string, Promise<number | null>>();
  private personas: Promise<{ fallback: PersonaSettings; saved: SavedPersona[] }> | null = null;

  constructor(private readonly deps: PromptServiceDeps) {}

  async build(chatKey: string, rawBody: string): Promise<BuiltRequest> {
    const body = JSON.parse(rawBody) as unknown;
    if (classifyChatBody(body) !== 'chat') return { body: null, characterId: null, userText: '', report: null };
    const chat = body as ChatCompletionBody;
    const model = typeof chat.model === 'string' ? chat.model : '';
    // Independent reads run together: this is on the request's path (time to first byte).
    const [{ chat: { characterId, promptState: stored, settings: saved }, exchanges }, tokenizer, personas] = await Promise.all([
      this.chatContext(chatKey), this.tokenizer(model), this.cachedPersonas(),
    ]);
    if (!characterId) return { body: null, characterId: null, userText: '', report: null };
    const character = await this.character(characterId);
    if (!character) return { body: null, characterId: null, userText: '', report: null };

    const promptState = this.states.get(chatKey) ?? stored;
    const now = this.deps.now();
    const settings = chatSettingsOrDefault(saved);
    const persona = resolvePersona(settings.persona ?? personas.fallback, personas.saved);
    const note = settings.authorNote;
    const greeting = chosenGreeting(greetingsOf(character.card.data), settings.greetingIndex);
    const linked = character.linked ? { global: [loreBookFromCharacterBook(character.linked, character.linked.name ?? 'World Info')] } : undefined;
    const built = assemblePrompt({
      body: chat,
      character: character.card,
      hostSystemPrefix: nextChatSystemPrefix(chat.messages),
      persona,
      authorNote: note.text.trim() ? { text: note.text, depth: note.depth, role: note.role, everyN: note.everyN } : null,
      includeGreeting: greeting.trim().length > 0 && startsAtBeginning(chat, exchanges),
      greeting,
      countTokens: tokenizer.count,
      contextSize: contextSizeFor(model),
      // NextChat sends only its last few messages; Troupe's log knows how long the chat really is.
      chatLength: Math.max(exchanges * 2 + 1, chat.messages.length),
      userTurns: exchanges + 1,
      lore: { ...(linked ? { books: linked } : {}), timedState: promptState?.timedState ?? null },
      variables: promptState?.variables ?? {},
      macros: { now, chatId: chatKey },
    });
    const state: ChatPromptState = { version: 1, timedState: built.timedState, variables: built.variables };
    this.states.set(chatKey, state);
    this.deps.savePromptState(chatKey, state).catch((error: unknown) => console.error('Troupe: could not save the chat\'s prompt state', error));
    const report = toPromptReport(built, character.card.data.name, model, now.getTime());
    this.remember(chatKey, report);
    return { body: JSON.stringify(built.body), characterId, userText: messageText(chat.messages.at(-1)!), report };
  }

  /**
   * Drops what the service keeps of a chat; the background calls it after every write to the chat
   * (activation, settings, a stored reply), so the next build reads fresh values.
   */
  forget(chatKey: string): void {
    this.chats.delete(chatKey);
    // The same write may have set the default persona; storage's change event would come too late.
    this.personas = null;
  }

  /**
   * A reply was stored in the chat: only its length changed, so the kept context is updated in place
   * rather than read again (the next request often follows at once, and reads are on its path).
   */
  replySaved(chatKey: string, exchanges: number): void {
    const context = this.chats.get(chatKey);
    if (context) this.chats.set(chatKey, context.then((kept) => ({ ...kept, exchanges })));
  }

  /** The library's characters changed (any write): versions are checked again on the next build. */
  forgetCharacters(): void {
    this.versions.clear();
  }

  /** The default persona or the saved personas changed (storage says so after every write). */
  forgetPersonas(): void {
    this.personas = null;
  }

  private cachedPersonas() {
    if (!this.personas) {
      const loading = Promise.all([this.deps.defaultPersona(), this.deps.savedPersonas()]).then(([fallback, saved]) => ({ fallback, saved }));
      this.personas = loading;
      loading.catch(() => { if (this.personas === loading) this.personas = null; });
    }
    return this.personas;
  }

  private chatContext(chatKey: string) {
    let context = this.chats.get(chatKey);
    if (!context) {
      context = Promise.all([this.deps.readChat(chatKey), this.deps.exchanges(chatKey)]).then(([chat, exchanges]) => ({ chat, exchanges }));
      this.chats.set(chatKey, context);
      context.catch(() => this.chats.delete(chatKey));
    }
    return context;
  }

  /** The inspector's view of the chat's last request, if Troupe built one since the background started. */
  lastReport(chatKey: string): PromptReport | null {
    return this.reports.get(chatKey) ?? null;
  }

  /** Loads the tokenizer early (on activation) so the first request does not pay for it. */
  warmUp(model: string): void {
    void this.tokenizer(model).catch(() => {});
  }

  private characterVersion(id: string): Promise<number | null> {
    let version = this.versions.get(id);
    if (!version) {
      const loading = this.deps.characterVersion(id);
      version = loading;
      this.versions.set(id, loading);
      loading.catch(() => { if (this.versions.get(id) === loading) this.versions.delete(id); });
    }
    return version;
  }

  private async character(id: string) {
    const version = await this.characterVersion(id);
    if (version === null) return null;
    const cached = this.cards.get(id);
    if (cached && cached.updatedAt === version) return cached;
    const [card, linked] = await Promise.all([this.deps.readCard(id), this.deps.linkedLorebook(id)]);
    if (!card) return null;
    const fresh = { updatedAt: version, card, linked };
    this.cards.set(id, fresh);
    return fresh;
  }

  private tokenizer(model: string): Promise<Tokenizer> {
    let loading = this.tokenizers.get(model);
    if (!loading) {
      loading = tokenizerFor(model);
      this.tokenizers.set(model, loading);
      loading.catch(() => this.tokenizers.delete(model));
    }
    return loading;
  }

  private remember(chatKey: string, report: PromptReport) {
    this.reports.delete(chatKey);
    this.reports.set(chatKey, report);
    if (this.reports.size > MAX_REPORTS) this.reports.delete(this.reports.keys().next().value!);
  }
}
