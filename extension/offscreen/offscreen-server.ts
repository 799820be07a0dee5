/**
 * The offscreen document's end of the offscreen channel (messaging/protocols/offscreen-protocol.ts):
 * answers the background's envelopes, checked for version, sender and payload before anything runs;
 * leaves every other runtime message to its own listener.
 */
import { browser } from '#imports';
import {
  isOffscreenEnvelope,
  OFFSCREEN_PROTOCOL_VERSION,
  OFFSCREEN_VALIDATORS,
  type OffscreenRequest,
  type OffscreenResponse,
  type OffscreenResult,
  type OffscreenType,
} from '../messaging/protocols/offscreen-protocol.ts';

export type OffscreenHandlers = { [T in OffscreenType]: (request: OffscreenRequest<T>) => Promise<OffscreenResponse<T>> };

/** Who sent a runtime message, as Chrome reports it. */
export interface OffscreenSender {
  id?: string;
  url?: string;
  tab?: unknown;
}

function failure(code: string, message: string): OffscreenResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * Only the extension's own contexts outside any tab (the service worker, Troupe's pages) may use the
 * document: a content script shares its page with scripts Troupe does not trust.
 */
export function isTrustedSender(sender: OffscreenSender | undefined, ownId: string, extensionBaseUrl: string): boolean {
  return sender?.id === ownId && sender.tab === undefined && typeof sender.url === 'string' && sender.url.startsWith(extensionBaseUrl);
}

/**
 * Answers one envelope of the offscreen channel: checks its version and type, validates the payload,
 * runs the handler, and turns any error into `{ok:false, error:{code, message}}` for the background.
 */
export async function handleOffscreenMessage(handlers: OffscreenHandlers, message: unknown): Promise<OffscreenResult<unknown>> {
  if (!isOffscreenEnvelope(message)) return failure('message/invalid', 'Not an offscreen message.');
  if (message.version !== OFFSCREEN_PROTOCOL_VERSION) {
    return failure('message/version', `The offscreen document speaks version ${OFFSCREEN_PROTOCOL_VERSION}, the message ${String(message.version)}: reload the extension.`);
  }
  const type = message.type as OffscreenType;
  if (typeof type !== 'string' || !Object.hasOwn(OFFSCREEN_VALIDATORS, type)) return failure('message/unknown-type', `Unknown offscreen request "${String(message.type)}".`);
  try {
    const request = OFFSCREEN_VALIDATORS[type](message.payload);
    const handler = handlers[type] as (r: typeof request) => Promise<unknown>;
    return { ok: true, value: await handler(request) };
  } catch (error) {
    const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'offscreen/failed';
    return failure(code, error instanceof Error ? error.message : String(error));
  }
}

/** Wires the handlers to `runtime.onMessage` in the offscreen document (call once, at start). */
export function serveOffscreen(handlers: OffscreenHandlers): void {
  const runtime = browser.runtime;
  const base = runtime.getURL('/');
  runtime.onMessage.addListener((message: unknown, sender: OffscreenSender, sendResponse: (answer: unknown) => void) => {
    // Not ours: the listener must not answer, or it would take the reply away from the background's.
    if (!isOffscreenEnvelope(message)) return undefined;
    if (!isTrustedSender(sender, runtime.id, base)) {
      sendResponse(failure('message/not-allowed', 'Only Troupe itself may use its offscreen document.'));
      return undefined;
    }
    void handleOffscreenMessage(handlers, message).then(sendResponse);
    return true; // keeps the channel open for the async answer
  });
}
