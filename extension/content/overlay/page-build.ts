/**
 * Isolated world: builds the open chat's prompts right on the page, from the chat's prompt kit, in the
 * task of NextChat's own fetch call. The background sends the kit when the person starts on a message
 * and says when it is stale (kitRevisionItem); the kit outlives the service worker, so a request made
 * after Chrome stopped the worker pays nothing for its wake-up. What the page cannot build (no kit
 * yet, another tokenizer) goes to the background as before.
 */
import { assemblePrompt, historyOf, inputFromKit, knownTokenCounter, toPromptReport, withWholeChat, type PromptKit, type PromptReport, type SessionRecord } from '@troupe/shared/prompt';
import { nextChatSystemPrefix, providerNameOf, readChatTurn, writeChatTurn, type WireFormat } from '@troupe/shared/providers';
import { encodingFor } from '@troupe/shared/tokens';
import { MessageRecall } from '@troupe/shared/memory';
import type { ChatPromptState } from '../../messaging/chat-prompt-state.ts';
import { MAX_COUNT_TEXTS } from '../../messaging/protocols/prompt-protocol.ts';

export interface PageBuildDeps {
  fetchKit(chatKey: string, model: string): Promise<PromptKit | null>;
  countTokens(model: string, texts: string[]): Promise<number[]>;
  /** After the request left: the chat's new prompt state and the build's report, for the background. */
  used(chatKey: string, state: ChatPromptState, report: PromptReport): void;
  now(): Date;
}

/** The chat as last read no longer lines up with NextChat's request: a fresh read must decide (nothing was built). */
export class StaleRecordError extends Error {
  constructor() {
    super("NextChat's saved chat changed since Troupe last read it");
    this.name = 'StaleRecordError';
  }
}

export interface PageBuilt {
  body: string | null;
  characterId: string | null;
  userText: string;
}

interface Held {
  kit: PromptKit;
  model: string;
  known: Map<string, number>;
}

/**
 * The open chat's recall indexes (see MessageRecall), of its messages and of its character's other chats
 * (long-term memory): kept across kits, since a kit goes stale often and the chats do not.
 */
interface ChatRecall {
  chatKey: string;
  recall: MessageRecall;
  longTerm: MessageRecall;
}

export class PageBuilder {
  private held: Held | null = null;
  private chatRecall: ChatRecall | null = null;
  private loading: { chatKey: string; model: string; done: Promise<void> } | null = null;
  /** Bumped on every drop and every new load: only the latest load's kit is kept, and none that went stale in flight. */
  private generation = 0;

  constructor(private readonly deps: PageBuildDeps) {}

  /** Gets the chat's kit unless it is held (or on its way) already. */
  prepare(chatKey: string, model: string): Promise<void> {
    if (this.held?.kit.chatKey === chatKey && sameEncoding(this.held.model, model)) return Promise.resolve();
    if (this.loading?.chatKey === chatKey && sameEncoding(this.loading.model, model)) return this.loading.done;
    const generation = ++this.generation;
    const done = this.deps.fetchKit(chatKey, model).then((kit) => {
      if (generation !== this.generation) return;
      this.held = kit ? { kit, model, known: new Map(kit.tokens) } : null;
      // Indexed now, ahead of the request: a build then indexes only what changed since.
      if (kit?.memory.longTerm) this.recallFor(chatKey).longTerm.sync(kit.memory.longTerm.passages);
    }).finally(() => { if (this.loading?.done === done) this.loading = null; });
    this.loading = { chatKey, model, done };
    return done;
  }

  /**
   * Indexes the open chat's messages for recall ahead of its next request (call when the page is idle,
   * after NextChat's store was read), at most `limit` of them; true once all are. A request then indexes
   * at most what changed since.
   */
  warmRecall(chatKey: string, messages: readonly { id?: string; text: string }[], limit = Infinity): boolean {
    return this.recallFor(chatKey).recall.syncSome(messages, limit);
  }

  private recallFor(chatKey: string): ChatRecall {
    if (this.chatRecall?.chatKey !== chatKey) this.chatRecall = { chatKey, recall: new MessageRecall(), longTerm: new MessageRecall() };
    return this.chatRecall;
  }

  /** The kit is stale (the library, the chat or a setting changed): the next request asks the background. */
  drop(): void {
    this.generation += 1;
    this.held = null;
    this.loading = null;
  }

  /** The model the held kit counts tokens for, when it is this chat's. */
  modelFor(chatKey: string): string | null {
    return this.held?.kit.chatKey === chatKey ? this.held.model : null;
  }

  /** A reply of this chat was stored: one exchange more, as the background counts too. */
  replySaved(chatKey: string): void {
    if (this.held?.kit.chatKey === chatKey) this.held.kit.exchanges += 1;
  }

  /** Whether `build` can answer for this chat and model now. */
  canBuild(chatKey: string, model: string): boolean {
    return this.held?.kit.chatKey === chatKey && sameEncoding(this.held.model, model);
  }

  /**
   * Builds `request` from the held kit (call `canBuild` first): the same prompt the background would
   * build, checked the same way, its history the whole chat of `session` (NextChat's store as last
   * read). Throws StaleRecordError, before anything changes, when that read no longer lines up with the
   * request; throws when the result is not an acceptable chat request.
   */
  build(chatKey: string, request: { body: string; url: string; format: WireFormat; userText: string }, session: SessionRecord): PageBuilt {
    const held = this.held;
    if (!held || held.kit.chatKey !== chatKey) throw new Error('no prompt kit for this chat');
    const turn = readChatTurn(request, request.userText);
    if (!turn) return { body: null, characterId: null, userText: '' };
    const hostSystemPrefix = nextChatSystemPrefix(turn.chat);
    const whole = withWholeChat(turn.chat, hostSystemPrefix, session);
    if (whole.source !== 'whole-chat') throw new StaleRecordError();
    const now = this.deps.now();
    const counter = knownTokenCounter(held.known);
    const { recall, longTerm } = this.recallFor(chatKey);
    const storedIds = new Set(session.messages.flatMap((m) => (m.id ? [m.id] : [])));
    // Indexed ahead when the page is idle (warmRecall); here only what changed since, and only when the chat outgrew the context.
    const wholeChat = { historyIds: whole.ids, storedIds, recall: recall.scorer(session.messages) };
    const passages = held.kit.memory.longTerm?.passages;
    const built = assemblePrompt(inputFromKit(held.kit, {
      body: whole.body, hostSystemPrefix, now, countTokens: counter.count, wholeChat, ...(passages ? { longTermRecall: longTerm.scorer(passages) } : {}),
    }));
    const body = writeChatTurn(turn, built.body);
    held.kit.timedState = built.timedState;
    held.kit.variables = built.variables;

    const model = typeof turn.chat.model === 'string' ? turn.chat.model : held.model;
    const report = toPromptReport(built, held.kit.card.data.name, { model, provider: providerNameOf(turn, chatKey) }, now.getTime(),
      { sources: new Map(held.kit.bookSources), warnings: held.kit.bookWarnings }, historyOf(whole));
    const state: ChatPromptState = { version: 1, timedState: built.timedState, variables: built.variables };
    const unknown = [...counter.unknown].slice(0, MAX_COUNT_TEXTS);
    // Off this task: the request leaves first.
    setTimeout(() => {
      this.deps.used(chatKey, state, report);
      if (unknown.length > 0) {
        this.deps.countTokens(held.model, unknown).then((counts) => {
          unknown.forEach((text, i) => { if (counts[i] !== undefined) held.known.set(text, counts[i]); });
        }).catch(() => { /* estimates stay: a later kit brings exact counts */ });
      }
    }, 0);
    return { body, characterId: held.kit.characterId, userText: turn.userText };
  }
}

/** Token counts transfer between models of one encoding; another encoding needs another kit. */
function sameEncoding(a: string, b: string): boolean {
  return a === b || encodingFor(a) === encodingFor(b);
}
