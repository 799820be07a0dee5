import { browser, type Browser } from '#imports';
import { CONTENT_SCRIPT_TYPES, RUNTIME_PROTOCOL_VERSION, RUNTIME_VALIDATORS, type RuntimeApi, type RuntimeResult, type RuntimeType, type SenderContext } from '../messaging/runtime-protocol.ts';
import type { Handlers } from './handlers/types.ts';
import { CALLS_PORT, EVENTS_PORT, type PortAnswer, type PortCall, type RuntimeEvent } from '../messaging/ports.ts';

export type RuntimeHandlers = Handlers<RuntimeApi>;

/**
 * Answers one runtime message: checks the envelope and sender (another extension is refused, and a
 * content script may ask only CONTENT_SCRIPT_TYPES), validates the payload, runs the handler, and turns
 * any error into `{ok:false, error:{code, message}}` for the caller to show.
 */
export async function handleRuntimeMessage(handlers: RuntimeHandlers, message: unknown, senderId: string | undefined, ownId: string, context: SenderContext, pageOrigin: string | null = null): Promise<RuntimeResult<unknown>> {
  if (senderId !== ownId) return failure('message/foreign-sender', 'Messages from other extensions are ignored.');
  const envelope = message as { troupe?: unknown; type?: unknown; payload?: unknown } | null;
  if (typeof envelope !== 'object' || envelope === null || envelope.troupe !== RUNTIME_PROTOCOL_VERSION) {
    return failure('message/version', 'This part of Troupe is out of date: reload the page.');
  }
  const type = envelope.type as RuntimeType;
  if (typeof type !== 'string' || !Object.hasOwn(RUNTIME_VALIDATORS, type)) return failure('message/unknown-type', `Unknown request "${String(envelope.type)}".`);
  if (context !== 'extension-page' && !CONTENT_SCRIPT_TYPES.has(type)) {
    return failure('message/not-allowed', `"${type}" can only be asked from Troupe's own pages (options, library), not from a web page.`);
  }
  try {
    const request = RUNTIME_VALIDATORS[type](envelope.payload);
    if (context === 'content-script') {
      const refusal = outsideItsOrigin(request, pageOrigin);
      if (refusal) return failure('message/not-allowed', refusal);
    }
    const handler = handlers[type] as (r: typeof request) => Promise<unknown>;
    return { ok: true, value: await handler(request) };
  } catch (error) {
    const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'internal';
    return failure(code, error instanceof Error ? error.message : String(error));
  }
}

/**
 * A content script speaks for one page: it may name only that page's chats (`origin#session`) and that
 * page's own origin, so a script holding one site's content script cannot reach another site's chats.
 */
function outsideItsOrigin(request: unknown, pageOrigin: string | null): string | null {
  const { chatKey, origin } = (typeof request === 'object' && request !== null ? request : {}) as { chatKey?: unknown; origin?: unknown };
  if (typeof chatKey === 'string' && (pageOrigin === null || !chatKey.startsWith(`${pageOrigin}#`))) return 'A page may only ask about its own chats.';
  if (typeof origin === 'string' && origin !== pageOrigin) return 'A page may only ask about its own site.';
  return null;
}

/** The origin of the page a content script runs in, from the sender Chrome reports. */
export function pageOriginOf(sender: { origin?: string; url?: string } | undefined): string | null {
  if (sender?.origin && sender.origin !== 'null') return sender.origin;
  try {
    return sender?.url ? new URL(sender.url).origin : null;
  } catch {
    return null;
  }
}

function failure(code: string, message: string): RuntimeResult<never> {
  return { ok: false, error: { code, message } };
}

/** Troupe's own pages have the extension's URL; anything else speaking for the extension is a content script in a web page. */
export function senderContext(sender: { url?: string } | undefined, extensionBaseUrl: string): SenderContext {
  return sender?.url?.startsWith(extensionBaseUrl) ? 'extension-page' : 'content-script';
}

/** Wires the handlers to the calls port (what Troupe's pages use) and to `runtime.onMessage` (one-off callers). */
export function serveRuntime(handlers: RuntimeHandlers): void {
  const runtime = browser.runtime;
  const base = runtime.getURL('/');
  runtime.onMessage.addListener((message: unknown, sender: { id?: string; url?: string; origin?: string }, sendResponse: (r: unknown) => void) => {
    void handleRuntimeMessage(handlers, message, sender.id, runtime.id, senderContext(sender, base), pageOriginOf(sender)).then(sendResponse);
    return true; // keeps the channel open for the async answer
  });
  runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name !== CALLS_PORT) return;
    let open = true;
    const context = senderContext(port.sender, base);
    const pageOrigin = pageOriginOf(port.sender);
    port.onDisconnect.addListener(() => { open = false; });
    port.onMessage.addListener((message: unknown) => {
      const call = message as Partial<PortCall> | null;
      if (typeof call?.id !== 'number') return;
      const id = call.id;
      const post = (answer: PortAnswer) => {
        if (!open) return;
        try {
          port.postMessage(answer);
        } catch (error) {
          // An answer that cannot be sent (not serialisable) must still end the call.
          port.postMessage({ id, result: failure('internal', `Troupe's background could not send its answer: ${String(error)}`) } satisfies PortAnswer);
        }
      };
      post({ id, ack: true });
      void handleRuntimeMessage(handlers, call.envelope, port.sender?.id, runtime.id, context, pageOrigin).then((result) => post({ id, result }));
    });
  });
}

/** Accepts the event ports of other contexts and returns the function that announces a change to all. */
export function serveEvents(): (event: RuntimeEvent) => void {
  const runtime = browser.runtime;
  const ports = new Set<Browser.runtime.Port>();
  runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name !== EVENTS_PORT) return;
    if (port.sender?.id !== runtime.id) return port.disconnect();
    ports.add(port);
    port.onDisconnect.addListener(() => ports.delete(port));
  });
  return (event) => { for (const port of ports) port.postMessage(event); };
}
