/**
 * The extension's one offscreen document (reasons WORKERS, AUDIO_PLAYBACK and USER_MEDIA), as the background uses it: created on
 * demand, one creation shared by every concurrent caller, an existing document adopted (after a
 * restart of the service worker it is still there), closed after OFFSCREEN_IDLE_CLOSE_MS without
 * work, and made again when it died. Requests to it go through `call`, which validates the answer.
 *
 * MV3 facts: a service worker cannot start a worker, an offscreen document can; there is one per
 * extension, and `createDocument` fails while one exists.
 */
import { browser } from '#imports';
import {
  OFFSCREEN_ANSWER_VALIDATORS,
  offscreenEnvelope,
  validateOffscreenResult,
  type OffscreenEnvelope,
  type OffscreenRequest,
  type OffscreenResponse,
  type OffscreenType,
} from '../../messaging/protocols/offscreen-protocol.ts';

/** The document's page (entrypoints/offscreen/index.html, an unlisted page WXT builds as /offscreen.html). */
export const OFFSCREEN_PATH = '/offscreen.html';
/** Shown by Chrome where it lists why an extension keeps an offscreen document. */
export const OFFSCREEN_JUSTIFICATION = 'Troupe summarises chat memory in a web worker, off the chat request path, and reads characters\' replies aloud, and records push-to-talk from the microphone.';
/**
 * Every reason the document is made with. Chrome allows one document per extension and fixes its
 * reasons at creation, so one document serves both: the summariser (WORKERS) and voice playback
 * (AUDIO_PLAYBACK), and push-to-talk recording (USER_MEDIA). AUDIO_PLAYBACK alone would let Chrome close the document after 30 s without audio;
 * with WORKERS beside it Chrome keeps it, and the host's own idle close (asking the document whether
 * audio still plays) decides. A document of an older build (WORKERS only) answers another protocol
 * version and is replaced, never adopted; so is one of the build before push-to-talk (no USER_MEDIA):
 * Chrome will not add a reason to a document that exists.
 */
export const OFFSCREEN_REASONS: OffscreenReason[] = ['WORKERS', 'AUDIO_PLAYBACK', 'USER_MEDIA'];
export type OffscreenReason = 'WORKERS' | 'AUDIO_PLAYBACK' | 'USER_MEDIA';
/**
 * The document closes after this long without work. Shorter than Chrome's 30 s idle stop of the
 * service worker, so the timer still runs when it fires; a document left open when the worker stopped
 * first closes itself (OFFSCREEN_SELF_CLOSE_MS in offscreen/idle-close.ts) unless the next call adopts
 * it first. Making one again costs ~0.1 s, and summaries come in bursts.
 */
export const OFFSCREEN_IDLE_CLOSE_MS = 20_000;
/** How long a new document may take to answer its first ping (its script runs after the page loads). */
export const OFFSCREEN_READY_TIMEOUT_MS = 5_000;
/** Pause between pings while a new document starts. */
export const OFFSCREEN_READY_POLL_MS = 25;

export type OffscreenErrorCode =
  | 'offscreen/unavailable'
  | 'offscreen/not-ready'
  | 'offscreen/gone'
  | 'offscreen/timeout'
  | 'offscreen/bad-answer'
  | (string & {});

/** A failure to reach or use the offscreen document; `code` is typed for the caller. */
export class OffscreenError extends Error {
  constructor(readonly code: OffscreenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OffscreenError';
  }
}

/** What the host needs of `chrome.offscreen` (tests pass a small fake). */
export interface OffscreenApiLike {
  createDocument(parameters: { url: string; reasons: OffscreenReason[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
  hasDocument?(): Promise<boolean>;
}

export interface OffscreenHostDeps {
  offscreen: OffscreenApiLike;
  /** `runtime.sendMessage`: delivers an envelope to the document and resolves with its answer. */
  sendMessage: (envelope: OffscreenEnvelope) => Promise<unknown>;
  /** The document's URL, `runtime.getURL(OFFSCREEN_PATH)`. */
  url: string;
  idleCloseMs?: number;
  readyTimeoutMs?: number;
  readyPollMs?: number;
}

export interface OffscreenCallOptions {
  /** Rejects with OffscreenError('offscreen/timeout') after this long (document start included). */
  timeoutMs?: number;
  /**
   * A question that is no work (the player's state asked every second while the panel shows it): asked
   * of the document as it is, neither made nor kept open by it, and the idle close is not put off.
   * Rejects with 'offscreen/gone' when there is no document.
   */
  passive?: boolean;
}

export interface OffscreenHost {
  /**
   * Sends one request to the document (made first if needed) and returns its validated answer. A
   * document found gone is made again and the request sent once more. Rejects with OffscreenError:
   * the document's own error code (`message/invalid`, `summary/…`) or an `offscreen/…` code.
   */
  call<T extends OffscreenType>(type: T, payload: OffscreenRequest<T>, options?: OffscreenCallOptions): Promise<OffscreenResponse<T>>;
  /** Makes sure the document exists and answers (creating or adopting it). */
  ensure(): Promise<void>;
  /**
   * True when a document is there to ask, adopting one that outlived a restart of the service worker
   * (audio may still play in it); false without creating one. For requests that mean nothing to a new
   * document, such as stopping playback.
   */
  adopt(): Promise<boolean>;
  /** Closes the document now (a later call makes it again). */
  close(): Promise<void>;
  /** What the host believes: 'open' once the document answered, 'closed' before or after. */
  readonly state: 'open' | 'closed';
}

/** Chrome's words when the one document already exists ("Only a single offscreen document may be created."). */
const ALREADY_EXISTS = /single offscreen|already (has|exists)/i;
/** Chrome's words when no one received a message or the receiver went away during it. */
const NO_RECEIVER = /receiving end does not exist|could not establish connection|message port closed|message channel closed|frame.*(removed|destroyed)|document.*(closed|destroyed)/i;
/** Chrome's words when closing a document that is not there. */
const NO_DOCUMENT = /no current offscreen document|not.*offscreen document/i;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** True when `error` says the document was not there to answer (so making it again may help). */
export function isDocumentGone(error: unknown): boolean {
  return (error instanceof OffscreenError && error.code === 'offscreen/gone') || NO_RECEIVER.test(messageOf(error));
}

/**
 * Makes the host of the offscreen document. One per service worker: see `offscreenHost()` for the
 * background's own, which the memory scheduler and the summariser share.
 * @example
 *   const host = createOffscreenHost({ offscreen: chrome.offscreen, sendMessage: (m) => chrome.runtime.sendMessage(m), url: chrome.runtime.getURL('/offscreen.html') });
 *   const { version } = await host.call('offscreen.ping', {});
 */
export function createOffscreenHost(deps: OffscreenHostDeps): OffscreenHost {
  const idleCloseMs = deps.idleCloseMs ?? OFFSCREEN_IDLE_CLOSE_MS;
  const readyTimeoutMs = deps.readyTimeoutMs ?? OFFSCREEN_READY_TIMEOUT_MS;
  const readyPollMs = deps.readyPollMs ?? OFFSCREEN_READY_POLL_MS;
  let state: 'open' | 'closed' = 'closed';
  let opening: Promise<void> | null = null;
  let closing: Promise<void> | null = null;
  let busy = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** One request to the document, its answer checked; a missing receiver is 'offscreen/gone'. */
  async function send<T extends OffscreenType>(type: T, payload: OffscreenRequest<T>): Promise<OffscreenResponse<T>> {
    let answer: unknown;
    try {
      answer = await deps.sendMessage(offscreenEnvelope(type, payload) as OffscreenEnvelope);
    } catch (error) {
      if (NO_RECEIVER.test(messageOf(error))) throw new OffscreenError('offscreen/gone', 'The offscreen document is not there to answer.', { cause: error });
      throw new OffscreenError('offscreen/unavailable', `Could not reach the offscreen document: ${messageOf(error)}`, { cause: error });
    }
    // No listener answered: the document is not (or no longer) listening.
    if (answer === undefined) throw new OffscreenError('offscreen/gone', 'The offscreen document did not answer.');
    let result;
    try {
      result = validateOffscreenResult(type, answer);
    } catch (error) {
      throw new OffscreenError('offscreen/bad-answer', `The offscreen document's answer to ${type} is not valid: ${messageOf(error)}`, { cause: error });
    }
    if (!result.ok) throw new OffscreenError(result.error.code, result.error.message);
    return result.value;
  }

  /** Pings until the document answers (its script registers the listener after the page loads). */
  async function waitUntilReady(): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      try {
        OFFSCREEN_ANSWER_VALIDATORS['offscreen.ping'](await send('offscreen.ping', {}));
        return;
      } catch (error) {
        if (!isDocumentGone(error) || Date.now() >= deadline) {
          throw new OffscreenError('offscreen/not-ready', `The offscreen document did not start: ${messageOf(error)}`, { cause: error });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, readyPollMs));
    }
  }

  async function closeQuietly(): Promise<void> {
    try {
      await deps.offscreen.closeDocument();
    } catch (error) {
      if (!NO_DOCUMENT.test(messageOf(error))) throw new OffscreenError('offscreen/unavailable', `Could not close the offscreen document: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Creates the document, or adopts one that exists and answers (one that does not answer is replaced). */
  async function open(): Promise<void> {
    if (closing) await closing.catch(() => {});
    // Missing without the "offscreen" permission, or before Chrome 109.
    if (!deps.offscreen?.createDocument) throw new OffscreenError('offscreen/unavailable', 'This browser gives Troupe no offscreen document (chrome.offscreen is missing).');
    if (await deps.offscreen.hasDocument?.().catch(() => false)) {
      try {
        await send('offscreen.ping', {});
        return;
      } catch {
        await closeQuietly();
      }
    }
    try {
      await deps.offscreen.createDocument({ url: deps.url, reasons: [...OFFSCREEN_REASONS], justification: OFFSCREEN_JUSTIFICATION });
    } catch (error) {
      // Someone made it between our check and our call (or hasDocument is missing): use that one.
      if (!ALREADY_EXISTS.test(messageOf(error))) throw new OffscreenError('offscreen/unavailable', `Could not create the offscreen document: ${messageOf(error)}`, { cause: error });
    }
    await waitUntilReady();
  }

  function ensure(): Promise<void> {
    if (state === 'open' && !closing) return Promise.resolve();
    opening ??= open().then(
      () => {
        state = 'open';
        opening = null;
      },
      (error: unknown) => {
        opening = null;
        throw error;
      },
    );
    return opening;
  }

  function close(): Promise<void> {
    clearTimeout(idleTimer);
    closing ??= (async () => {
      if (opening) await opening.catch(() => {});
      state = 'closed';
      await closeQuietly();
    })().finally(() => {
      closing = null;
    });
    return closing;
  }

  function startIdleTimer(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (busy !== 0 || state !== 'open') return;
      // Audio that still plays (a long reply read aloud) keeps the document; ask again later.
      send('offscreen.ping', {}).then((answer) => answer.busy === true, () => false).then((playing) => {
        if (busy !== 0 || state !== 'open') return;
        if (playing) startIdleTimer();
        else close().catch((error: unknown) => console.warn('Troupe: could not close the offscreen document', error));
      }, () => {});
    }, idleCloseMs);
  }

  async function callOnce<T extends OffscreenType>(type: T, payload: OffscreenRequest<T>): Promise<OffscreenResponse<T>> {
    await ensure();
    try {
      return await send(type, payload);
    } catch (error) {
      if (!isDocumentGone(error)) throw error;
      // It died (crashed, or closed behind our back): make it again and ask once more.
      state = 'closed';
      await ensure();
      return send(type, payload);
    }
  }

  async function call<T extends OffscreenType>(type: T, payload: OffscreenRequest<T>, options: OffscreenCallOptions = {}): Promise<OffscreenResponse<T>> {
    if (options.passive) return send(type, payload);
    busy++;
    clearTimeout(idleTimer);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const work = callOnce(type, payload);
      if (options.timeoutMs === undefined) return await work;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new OffscreenError('offscreen/timeout', `The offscreen document did not answer ${type} within ${options.timeoutMs} ms.`)), options.timeoutMs);
      });
      work.catch(() => {}); // its failure after the timeout is of no interest
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
      busy--;
      if (busy === 0) startIdleTimer();
    }
  }

  return {
    call,
    async ensure() {
      await ensure();
      if (busy === 0) startIdleTimer();
    },
    close,
    async adopt() {
      if (state === 'open' && !closing) return true;
      if (!(await deps.offscreen.hasDocument?.().catch(() => false))) return false;
      await ensure();
      if (busy === 0) startIdleTimer();
      return true;
    },
    get state() {
      return state;
    },
  };
}

let shared: OffscreenHost | undefined;

/**
 * The background's one host of the offscreen document (made on first use), shared by everything in
 * the service worker that needs the document, as Chrome allows only one.
 */
export function offscreenHost(): OffscreenHost {
  shared ??= createOffscreenHost({
    offscreen: browser.offscreen,
    sendMessage: (envelope) => browser.runtime.sendMessage(envelope),
    url: browser.runtime.getURL(OFFSCREEN_PATH),
  });
  return shared;
}
