import { browser } from '#imports';
import { RUNTIME_PROTOCOL_VERSION, type RuntimeEnvelope, type RuntimeRequest, type RuntimeResponse, type RuntimeResult, type RuntimeType } from './runtime-protocol.ts';

/** An error the background reported, with its stable code and a message fit for people. */
export class RuntimeCallError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RuntimeCallError';
  }
}

/**
 * Asks the background to do `type` and returns its typed answer; throws RuntimeCallError with the
 * background's reason on failure (or `runtime/unreachable` when the extension was updated or removed).
 */
export async function callBackground<T extends RuntimeType>(type: T, payload: RuntimeRequest<T>): Promise<RuntimeResponse<T>> {
  const envelope: RuntimeEnvelope<T> = { troupe: RUNTIME_PROTOCOL_VERSION, type, payload };
  let result: RuntimeResult<RuntimeResponse<T>> | undefined;
  try {
    result = await browser.runtime.sendMessage(envelope);
  } catch (error) {
    throw new RuntimeCallError('runtime/unreachable', `Troupe's background is not reachable (${String(error)}). Reload the page after an extension update.`);
  }
  if (!result) throw new RuntimeCallError('runtime/no-answer', 'Troupe\'s background did not answer.');
  if (!result.ok) throw new RuntimeCallError(result.error.code, result.error.message);
  return result.value;
}

/** Name of the long-lived port over which the background announces changes. */
export const EVENTS_PORT = 'troupe-events';

/** `prompt-built`: only the chat's inspector report is new (sent on every request, so kept narrow). */
export type RuntimeEvent =
  | { type: 'characters-changed' }
  | { type: 'chat-changed'; chatKey: string }
  | { type: 'prompt-built'; chatKey: string };

/** Calls `onEvent` for every change the background announces, until `signal` aborts. */
export function subscribeToBackground(onEvent: (event: RuntimeEvent) => void, signal: AbortSignal): void {
  const port = browser.runtime.connect({ name: EVENTS_PORT });
  port.onMessage.addListener((message: RuntimeEvent) => onEvent(message));
  signal.addEventListener('abort', () => port.disconnect(), { once: true });
}
