import { describe, expect, it } from 'vitest';
import { BackgroundLink, type LinkPort, type LinkRuntime } from './background-link.ts';
import { CALLS_PORT, EVENTS_PORT, type PortCall } from '../messaging/ports.ts';

/** A port pair's client end, driven by the test as the background would. */
class FakePort implements LinkPort {
  readonly sent: unknown[] = [];
  disconnected = false;
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  constructor(readonly name: string) {}
  postMessage(message: unknown) { this.sent.push(message); }
  disconnect() { this.disconnected = true; }
  onMessage = { addListener: (l: (m: unknown) => void) => { this.messageListeners.push(l); } };
  onDisconnect = { addListener: (l: () => void) => { this.disconnectListeners.push(l); } };
  /** The background answers or announces. */
  deliver(message: unknown) { for (const l of this.messageListeners) l(message); }
  /** The service worker stopped. */
  drop() { this.disconnected = true; for (const l of this.disconnectListeners) l(); }
}

function fakeRuntime() {
  const ports: FakePort[] = [];
  const runtime: LinkRuntime = { connect: ({ name }) => { const port = new FakePort(name); ports.push(port); return port; } };
  const opened = (name: string) => ports.filter((p) => p.name === name);
  return { runtime, ports, opened };
}

const answer = (port: FakePort, index: number, result: unknown) => port.deliver({ id: (port.sent[index] as PortCall).id, result });
const ack = (port: FakePort, index: number) => port.deliver({ id: (port.sent[index] as PortCall).id, ack: true });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BackgroundLink', () => {
  it('pairs answers with calls on one port, whatever order they come back in', async () => {
    const { runtime, opened } = fakeRuntime();
    const link = new BackgroundLink(runtime);
    const first = link.call({ type: 'a' });
    const second = link.call({ type: 'b' });
    const [port] = opened(CALLS_PORT);
    expect(opened(CALLS_PORT)).toHaveLength(1);
    expect(port!.sent.map((m) => (m as PortCall).envelope)).toEqual([{ type: 'a' }, { type: 'b' }]);
    answer(port!, 1, 'B');
    answer(port!, 0, 'A');
    port!.deliver({ id: 999, result: 'nobody asked' });
    expect(await Promise.all([first, second])).toEqual(['A', 'B']);
  });


  it('never sends twice a call the background acknowledged: cut off, it ends with no answer', async () => {
    const { runtime, opened } = fakeRuntime();
    const link = new BackgroundLink(runtime);
    const call = link.call({ type: 'chat.appendReply' });
    ack(opened(CALLS_PORT)[0]!, 0);
    opened(CALLS_PORT)[0]!.drop();
    expect(await call).toBeUndefined();
    expect(opened(CALLS_PORT)).toHaveLength(1);
  });

  it('asks once more on a new port when the worker stops with an unread call in flight, then gives up', async () => {
    const { runtime, opened } = fakeRuntime();
    const link = new BackgroundLink(runtime);
    const call = link.call({ type: 'a' });
    opened(CALLS_PORT)[0]!.drop();
    const retry = opened(CALLS_PORT)[1]!;
    expect(retry.sent).toHaveLength(1);
    answer(retry, 0, 'answered');
    expect(await call).toBe('answered');

    const lost = link.call({ type: 'b' });
    retry.drop();
    opened(CALLS_PORT)[2]!.drop();
    expect(await lost).toBeUndefined();
  });

  it('rejects when the background cannot be reached at all (extension updated)', async () => {
    const link = new BackgroundLink({ connect: () => { throw new Error('Extension context invalidated.'); } });
    await expect(link.call({ type: 'a' })).rejects.toThrow('Extension context invalidated.');
  });

  it('reopens events after the worker stopped, on the next call or when the page is visible, and says so', async () => {
    const { runtime, opened } = fakeRuntime();
    let becameVisible = () => {};
    const link = new BackgroundLink<{ type: string }>(runtime, (listener) => { becameVisible = listener; });
    const seen: string[] = [];
    const stop = new AbortController();
    link.subscribe((event) => seen.push(event.type), stop.signal);
    opened(EVENTS_PORT)[0]!.deliver({ type: 'chat-changed' });
    opened(EVENTS_PORT)[0]!.drop();
    expect(opened(EVENTS_PORT)).toHaveLength(1);

    void link.call({ type: 'a' });
    expect(opened(EVENTS_PORT)).toHaveLength(2);
    // Said after the call that woke the worker is on its way, not before.
    expect(seen).toEqual(['chat-changed']);
    await tick();
    expect(seen).toEqual(['chat-changed', 'reconnected']);

    opened(EVENTS_PORT)[1]!.drop();
    becameVisible();
    expect(opened(EVENTS_PORT)).toHaveLength(3);
    await tick();
    expect(seen).toEqual(['chat-changed', 'reconnected', 'reconnected']);

    stop.abort();
    expect(opened(EVENTS_PORT)[2]!.disconnected).toBe(true);
    becameVisible();
    expect(opened(EVENTS_PORT)).toHaveLength(3);
  });

  it('reopens events on the next call even when the calls port was reopened before the events port closed', async () => {
    const { runtime, opened } = fakeRuntime();
    const link = new BackgroundLink<{ type: string }>(runtime);
    const seen: string[] = [];
    link.subscribe((event) => seen.push(event.type), new AbortController().signal);
    const inFlight = link.call({ type: 'prompt.build' });
    // The worker stops: the calls port's disconnect comes first and retries on a new port at once...
    opened(CALLS_PORT)[0]!.drop();
    // ...and only then the events port's.
    opened(EVENTS_PORT)[0]!.drop();
    answer(opened(CALLS_PORT)[1]!, 0, 'built');
    expect(await inFlight).toBe('built');
    void link.call({ type: 'chat.get' });
    expect(opened(EVENTS_PORT)).toHaveLength(2);
    await tick();
    expect(seen).toEqual(['reconnected']);
  });

  it('delivers an event to every subscriber even when one throws', () => {
    const { runtime, opened } = fakeRuntime();
    const link = new BackgroundLink<{ type: string }>(runtime);
    const seen: string[] = [];
    const signal = new AbortController().signal;
    link.subscribe(() => { throw new Error('broken feature'); }, signal);
    link.subscribe((event) => seen.push(event.type), signal);
    opened(EVENTS_PORT)[0]!.deliver({ type: 'chat-changed' });
    expect(seen).toEqual(['chat-changed']);
  });
});
