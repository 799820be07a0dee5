import type { CharacterSummary } from '../../messaging/library-wire.ts';
import type { CapturedReply } from '../../messaging/chat-types.ts';
import { PROVIDER_NAMES, type ProviderId, type WireFormat } from '@troupe/shared/providers';
import { ANSWER_ATTRIBUTE, NOW_EVENT, QUESTION_ATTRIBUTE, readMainMessage, type FailureCode, type IsolatedToMain, type MainToIsolated } from '../../messaging/page-protocol.ts';
import { StaleRecordError, type PageBuilt } from './page-build.ts';
import type { SessionRecord } from '@troupe/shared/prompt';

/** The panel's words for the MAIN world's failure codes (never text from the page's side). */
const FAILURE_TEXT: Readonly<Record<FailureCode, string>> = {
  'no-answer': 'Troupe could not add the character to this request, so NextChat\'s original went out: Troupe did not answer in time.',
  'invalid-rewrite': 'Troupe could not add the character to this request, so NextChat\'s original went out: the request Troupe built could not be sent.',
};

/** Requests awaiting their reply; older ones are forgotten (their reply is then not stored). */
const MAX_PENDING_REQUESTS = 32;

export interface BridgeDeps {
  /** The chat the page shows now (`origin#sessionId`), or null when it cannot tell. */
  currentChatKey: () => Promise<string | null>;
  /** True when `url` is where NextChat sends chats: its own proxy, or an endpoint its settings name. */
  nextChatDestination: (url: string) => Promise<boolean>;
  /** Claims the person's turn for this user message (each Enter, send click or Retry vouches for one request); false for NextChat's summaries and page scripts' calls. */
  claimUserTurn: (userText: string) => boolean;
  /** Whether the person's turn for this user message is there to claim (without claiming it). */
  isUserTurn: (userText: string) => boolean;
  /** The character active in that chat, or null (a fast local check before asking the background). */
  activeCharacter: (chatKey: string) => Promise<CharacterSummary | null>;
  /** The chat as NextChat's store holds it now (its whole history goes into the prompt), null when unreadable. */
  readRecord: (chatKey: string) => Promise<SessionRecord | null>;
  /** The background's prompt build for that chat: the new body, or null to leave the request alone. */
  buildPrompt: (chatKey: string, request: { body: string; url: string; format: WireFormat; userText: string; session: SessionRecord | null }) => Promise<{ body: string | null; characterId: string | null; userText: string }>;
  saveReply: (reply: CapturedReply) => Promise<void>;
  /** Something went wrong on Troupe's side; NextChat's request went out unmodified. */
  onFailure: (message: string) => void;
  /** A request went out with a character (for the panel's "last request" line). */
  onRewritten: (chatKey: string, character: CharacterSummary) => void;
  /**
   * The same request's address, model and Authorization header (the MAIN world's word, to be checked),
   * so the chat's own model can write its summaries. Called on the request's way out: it must only queue work.
   */
  onChatRequest?: (chatKey: string, request: { url: string; model: string; format: WireFormat; authorization: string | null }) => void;
  /** A reply Troupe rewrote the request of grew by `text` (voice speaks its sentences as they complete). */
  onReplyDelta?: (chatKey: string, replyId: string, text: string) => void;
  /** That reply ended (after its last delta). */
  onReplyEnd?: (chatKey: string, replyId: string, status: 'done' | 'aborted') => void;
  /** The person's own turn goes out in this chat (voice stops reading the previous reply). */
  onUserTurn?: (chatKey: string) => void;
  /** Test hook behind a debug setting: answer with a broken body so the MAIN world must fail open. */
  breakRewrites: () => boolean;
  /**
   * What answering at once needs, each undefined when it cannot be known without waiting (then the
   * request is answered over the port, as above): the open chat, its character, whether `url` is
   * where NextChat sends chats, and the page-side build from the chat's kit.
   */
  now?: {
    chatKey: () => string | null | undefined;
    character: (chatKey: string) => CharacterSummary | null | undefined;
    destination: (url: string) => boolean | undefined;
    canBuild: (chatKey: string, model: string) => boolean;
    /** The chat as NextChat's store held it at the last read (undefined: not read yet). */
    record: (chatKey: string) => SessionRecord | undefined;
    /** Throws StaleRecordError, having changed nothing, when `session` no longer lines up with the request. */
    build: (chatKey: string, request: { body: string; url: string; format: WireFormat; userText: string }, session: SessionRecord) => PageBuilt;
  };
}

interface Pending { chatKey: string; characterId: string; userText: string }

/** A rewrite question as the bridge works on it. */
type RewriteRequest = { body: string; url: string; format: WireFormat | null; provider: ProviderId; userText: string; authorization: string | null };

/** The model a request names (Gemini's is in its URL), '' when none: read without parsing the body. */
function modelOf(body: string, format: WireFormat, url: string): string {
  if (format === 'gemini') return /\/models\/([^/:]+)/.exec(url)?.[1] ?? '';
  const match = /"model"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body);
  return match ? match[1]! : '';
}

function hostOf(url: string): string {
  try {
    return new URL(url, location.href).host;
  } catch {
    return 'an unreadable address';
  }
}

/** Rewrites answered recently, by id: only a failure about one of them is shown (a forged id is ignored). */
const MAX_ANSWERED = 32;

/**
 * Isolated world: answers the MAIN world's rewrite requests with the active character's prompt and
 * stores each tapped reply in the chat it belongs to. Only replies to requests it rewrote are kept,
 * so a message it did not ask for changes nothing.
 */
export interface Bridge {
  /** Tells the MAIN world whether a character may speak in the open chat (false: its requests need no asking). */
  setSpeaking(speaking: boolean): void;
}

export function startBridge(port: MessagePort, node: Element | null, deps: BridgeDeps, signal: AbortSignal): Bridge {
  const pending = new Map<string, Pending>();
  const answered = new Set<string>();
  const send = (message: IsolatedToMain) => port.postMessage(message);
  const markAnswered = (id: string) => {
    answered.add(id);
    if (answered.size > MAX_ANSWERED) answered.delete(answered.values().next().value!);
  };

  // The MAIN world's question on the private node, answered before its dispatch returns when it can be.
  node?.addEventListener(NOW_EVENT, () => {
    let message: MainToIsolated | null = null;
    try { message = readMainMessage(JSON.parse(node.getAttribute(QUESTION_ATTRIBUTE) ?? 'null')); } catch { message = null; }
    if (message?.t !== 'rewrite') return;
    const body = rewriteNow(message.id, message);
    if (body === undefined) return;
    markAnswered(message.id);
    node.setAttribute(ANSWER_ATTRIBUTE, JSON.stringify({ v: 1, t: 'rewritten', id: message.id, body } satisfies IsolatedToMain));
  }, { signal });

  port.onmessage = (event) => {
    const message = readMainMessage(event.data);
    if (!message) return;
    if (message.t === 'rewrite') {
      void rewrite(message.id, message).then((body) => {
        markAnswered(message.id);
        send({ v: 1, t: 'rewritten', id: message.id, body });
      });
    } else if (message.t === 'delta') {
      const request = pending.get(message.id);
      if (request) deps.onReplyDelta?.(request.chatKey, message.id, message.text);
    } else if (message.t === 'reply') {
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      deps.onReplyEnd?.(request.chatKey, message.id, message.status);
      if (message.text.length === 0) return;
      deps.saveReply({ ...request, replyText: message.text, status: message.status }).catch((error: unknown) => {
        deps.onFailure(`The reply could not be saved: ${error instanceof Error ? error.message : String(error)}`);
      });
    } else if (answered.has(message.id)) {
      pending.delete(message.id);
      deps.onFailure(FAILURE_TEXT[message.code]);
    }
  };

  send({ v: 1, t: 'ready' });
  signal.addEventListener('abort', () => {
    send({ v: 1, t: 'bye' });
    port.onmessage = null;
  }, { once: true });
  let speaking: boolean | null = null;
  return {
    setSpeaking(next) {
      if (next === speaking || signal.aborted) return;
      speaking = next;
      send({ v: 1, t: 'chat', speaking: next });
    },
  };

  async function rewrite(id: string, request: RewriteRequest): Promise<string | null> {
    try {
      const chatKey = await deps.currentChatKey();
      if (!chatKey) return null;
      const character = await deps.activeCharacter(chatKey);
      if (!character) return null;
      if (request.format === null) {
        deps.onFailure(`Troupe cannot add ${character.name} to ${PROVIDER_NAMES[request.provider]} requests: that provider's format is not supported, so NextChat's request went out unchanged. Pick an OpenAI-compatible, Anthropic or Gemini model in NextChat to talk to ${character.name}.`);
        return null;
      }
      // Where it goes is checked before the person's turn is claimed: a page script's request elsewhere,
      // racing NextChat's own, must not use up the turn. It is reported only when it carries their words.
      if (!(await deps.nextChatDestination(request.url))) {
        if (deps.isUserTurn(request.userText)) deps.onFailure(`A request carrying your message went to ${hostOf(request.url)}, which is neither NextChat's own server nor an endpoint its settings name; Troupe left it without ${character.name}.`);
        return null;
      }
      // Only a turn the person sent gets the character: not NextChat's own summaries, not a page script's call.
      if (!deps.claimUserTurn(request.userText)) return null;
      if (deps.breakRewrites()) return '{"broken by the debug setting';
      // The background parses and checks the body; this page's thread (NextChat's too) is spared a parse.
      const session = await deps.readRecord(chatKey).catch(() => null);
      const turn = { body: request.body, url: request.url, format: request.format, userText: request.userText };
      // A kit held on the page builds from the fresh read too, without waking a stopped background.
      if (session && deps.now?.canBuild(chatKey, modelOf(request.body, request.format, request.url))) {
        try {
          return goingOut(id, chatKey, character, deps.now.build(chatKey, turn, session), { ...turn, authorization: request.authorization });
        } catch (error) {
          if (!(error instanceof StaleRecordError)) throw error;
        }
      }
      return goingOut(id, chatKey, character, await deps.buildPrompt(chatKey, { ...turn, session }), { ...turn, authorization: request.authorization });
    } catch (error) {
      return couldNotPrepare(error);
    }
  }

  /**
   * The same decision as `rewrite`, made at once from what the page holds: undefined whenever some part
   * of it would need waiting (the port path then decides, with nothing claimed or reported here).
   */
  function rewriteNow(id: string, request: RewriteRequest): string | null | undefined {
    const now = deps.now;
    if (!now || request.format === null) return undefined;
    try {
      const chatKey = now.chatKey();
      if (chatKey === undefined) return undefined;
      if (chatKey === null) return null;
      const character = now.character(chatKey);
      if (character === undefined) return undefined;
      if (character === null) return null;
      // A page script's request elsewhere, or one not the person's, is left to the port path's checks and words.
      if (now.destination(request.url) !== true || !deps.isUserTurn(request.userText)) return undefined;
      if (!now.canBuild(chatKey, modelOf(request.body, request.format, request.url))) return undefined;
      const session = now.record(chatKey);
      if (!session) return undefined;
      // Built before the turn is claimed: a stale read of NextChat's store leaves the decision to the
      // port path, which reads it again. Nothing between here and the claim can take the turn (one task).
      const turn = { body: request.body, url: request.url, format: request.format, userText: request.userText };
      const built = now.build(chatKey, turn, session);
      if (!deps.claimUserTurn(request.userText)) return undefined;
      if (deps.breakRewrites()) return '{"broken by the debug setting';
      return goingOut(id, chatKey, character, built, { ...turn, authorization: request.authorization });
    } catch (error) {
      if (error instanceof StaleRecordError) return undefined;
      return couldNotPrepare(error);
    }
  }

  /**
   * A built body is going out: its reply will be stored in this chat, the panel says who spoke, and
   * memory hears where the chat's requests go.
   */
  function goingOut(id: string, chatKey: string, character: CharacterSummary, built: { body: string | null; characterId: string | null; userText: string }, request: { body: string; url: string; format: WireFormat; authorization: string | null }): string | null {
    if (built.body === null || built.characterId === null) return null;
    remember(id, { chatKey, characterId: built.characterId, userText: built.userText });
    deps.onUserTurn?.(chatKey);
    deps.onRewritten(chatKey, character);
    deps.onChatRequest?.(chatKey, { url: request.url, model: modelOf(request.body, request.format, request.url), format: request.format, authorization: request.authorization });
    return built.body;
  }

  function couldNotPrepare(error: unknown): null {
    deps.onFailure(`Troupe could not prepare this request: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }

  function remember(id: string, request: Pending) {
    pending.set(id, request);
    if (pending.size > MAX_PENDING_REQUESTS) pending.delete(pending.keys().next().value!);
  }
}
