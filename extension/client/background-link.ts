/**
 * A context's two long-lived ports to the background: one for calls, one for the changes it announces.
 *
 * Calls go over a port rather than `runtime.sendMessage` because a message opens and closes a channel
 * each time, which roughly doubles the round trip (measured in Chromium: p50 0.3 ms on a port, 0.6–0.9
 * ms by message), and a character request pays it before its first byte. The background's service
 * worker stops when idle, which closes both ports: the calls port is opened again by the next call, and
 * the events port then too (or when the page becomes visible), announced by a `reconnected` event
 * because changes may have been missed meanwhile.
 */
import { CALLS_PORT, EVENTS_PORT, type PortAnswer, type PortCall } from '../messaging/ports.ts';

/** The parts of `runtime.Port` and `runtime` the link uses (fakes in tests). */
export interface LinkPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}
export interface LinkRuntime { connect(info: { name: string }): LinkPort }

export type LinkEvent<E> = E | { type: 'reconnected' };

interface PendingCall { envelope: unknown; acked: boolean; retried: boolean; resolve(result: unknown): void; reject(error: unknown): void }

export class BackgroundLink<E = unknown> {
  private calls: LinkPort | null = null;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private events: LinkPort | null = null;
  private eventsLost = false;
  private readonly subscribers = new Set<(event: LinkEvent<E>) => void>();

  /** `onVisible` registers a callback for when the page becomes visible again (absent outside pages). */
  constructor(private readonly runtime: LinkRuntime, onVisible?: (listener: () => void) => void) {
    onVisible?.(() => this.reopenEvents());
  }

  /** Sends `envelope` and resolves with the background's answer, or undefined if none came. Rejects when the background cannot be reached at all. */
  call(envelope: unknown): Promise<unknown> {
    // The worker is awake for this call: events announced from now on must reach this context again.
    // (Checked on every call: the events port may close after the calls port was reopened.)
    this.reopenEvents();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { envelope, acked: false, retried: false, resolve, reject });
      this.send(id);
    });
  }

  /** Delivers every announced event to `onEvent` until `signal` aborts. */
  subscribe(onEvent: (event: LinkEvent<E>) => void, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.subscribers.add(onEvent);
    signal.addEventListener('abort', () => {
      this.subscribers.delete(onEvent);
      if (this.subscribers.size === 0) {
        this.events?.disconnect();
        this.events = null;
        this.eventsLost = false;
      }
    }, { once: true });
    if (!this.events && !this.eventsLost) this.openEvents(false);
  }

  private send(id: number): void {
    const call = this.pending.get(id);
    if (!call) return;
    try {
      this.callsPort().postMessage({ id, envelope: call.envelope } satisfies PortCall);
    } catch (error) {
      this.pending.delete(id);
      call.reject(error);
    }
  }

  private callsPort(): LinkPort {
    if (this.calls) return this.calls;
    const port = this.runtime.connect({ name: CALLS_PORT });
    this.calls = port;
    port.onMessage.addListener((message) => {
      const answer = message as { id?: unknown; ack?: unknown; result?: unknown } | null;
      const id = typeof answer?.id === 'number' ? answer.id : -1;
      const call = this.pending.get(id);
      if (!call) return;
      if (answer!.ack === true) {
        call.acked = true;
        return;
      }
      this.pending.delete(id);
      call.resolve(answer!.result);
    });
    port.onDisconnect.addListener(() => {
      if (this.calls === port) this.calls = null;
      for (const [id, call] of [...this.pending]) {
        if (call.acked || call.retried) {
          // Read but cut off (or lost twice): sending it again could do it twice.
          this.pending.delete(id);
          call.resolve(undefined);
        } else {
          // Posted just as the idle worker stopped, never read: ask once more on a new port.
          call.retried = true;
          this.send(id);
        }
      }
    });
    return port;
  }

  private reopenEvents(): void {
    if (this.eventsLost && this.subscribers.size > 0) this.openEvents(true);
  }

  private openEvents(reconnected: boolean): void {
    let port: LinkPort;
    try {
      port = this.runtime.connect({ name: EVENTS_PORT });
    } catch {
      return; // the extension was updated or removed: this context will never hear from it again
    }
    this.events = port;
    this.eventsLost = false;
    port.onMessage.addListener((event) => this.deliver(event as E));
    port.onDisconnect.addListener(() => {
      if (this.events !== port) return;
      this.events = null;
      this.eventsLost = true;
    });
    // After the call that reopened the port is on its way (it is the one the user waits for).
    if (reconnected) setTimeout(() => this.deliver({ type: 'reconnected' }), 0);
  }

  /** One subscriber that throws must not keep the event from the others. */
  private deliver(event: LinkEvent<E>): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch (error) {
        console.error('Troupe: an event handler failed', error);
      }
    }
  }
}
