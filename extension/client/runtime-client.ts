import { browser } from '#imports';
import { BackgroundLink, type LinkEvent, type LinkRuntime } from './background-link.ts';
import { RUNTIME_PROTOCOL_VERSION, type RuntimeEnvelope, type RuntimeRequest, type RuntimeResponse, type RuntimeResult, type RuntimeType } from '../messaging/runtime-protocol.ts';
import type { RuntimeEvent } from '../messaging/ports.ts';

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
    result = await link().call(envelope) as RuntimeResult<RuntimeResponse<T>> | undefined;
  } catch (error) {
    throw new RuntimeCallError('runtime/unreachable', `Troupe's background is not reachable (${String(error)}). Reload the page after an extension update.`);
  }
  if (!result) throw new RuntimeCallError('runtime/no-answer', 'Troupe\'s background did not answer.');
  if (!result.ok) throw new RuntimeCallError(result.error.code, result.error.message);
  return result.value;
}


/**
 * Calls `onEvent` for every change the background announces, until `signal` aborts. The background's
 * service worker stops when idle, which closes the port; it is opened again the next time this context
 * talks to the background or the page becomes visible, followed by a `reconnected` event, because
 * changes may have been announced meanwhile.
 */
export function subscribeToBackground(onEvent: (event: LinkEvent<RuntimeEvent>) => void, signal: AbortSignal): void {
  link().subscribe(onEvent, signal);
}

let current: BackgroundLink<RuntimeEvent> | null = null;
function link(): BackgroundLink<RuntimeEvent> {
  current ??= new BackgroundLink<RuntimeEvent>(browser.runtime as unknown as LinkRuntime, (listener) => {
    if (typeof document === 'undefined') return;
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') listener(); });
  });
  return current;
}
