/**
 * A stand-in for `chrome.offscreen` and the offscreen document for the host's tests: one document at
 * a time (Chrome's errors word for word), answering with the document's real message handler.
 */
import { vi } from 'vitest';
import { OFFSCREEN_PROTOCOL_VERSION, type OffscreenEnvelope } from '../../messaging/protocols/offscreen-protocol.ts';
import { HANDS_FREE_OFF } from '../../messaging/protocols/hands-free.ts';
import { handleOffscreenMessage, type OffscreenHandlers } from '../../offscreen/offscreen-server.ts';
import type { OffscreenHostDeps } from './offscreen-host.ts';

export interface FakeDocument {
  /** False while its script has not run yet (or after it broke): messages find no receiver. */
  listening: boolean;
}

export function fakeOffscreen(handlers: Partial<OffscreenHandlers> = {}, options: { startsListening?: boolean; withHasDocument?: boolean } = {}) {
  const world = { doc: null as FakeDocument | null };
  const all: OffscreenHandlers = {
    'offscreen.ping': async () => ({ version: OFFSCREEN_PROTOCOL_VERSION }),
    'voice.play': async () => null,
    'voice.stop': async () => null,
    'voice.state': async () => ({ status: 'idle', error: null, log: [] }),
    'voice.listen.start': async () => ({ ok: true }),
    'voice.listen.stop': async () => ({ ok: true, text: 'Hello.', autoSend: true }),
    'voice.listen.retry': async () => ({ ok: true, text: 'Hello.', autoSend: true }),
    'voice.handsFree.start': async () => ({ ok: true }),
    'voice.handsFree.stop': async () => null,
    'voice.handsFree.poll': async () => HANDS_FREE_OFF,
    'voice.handsFree.replyDone': async () => null,
    'summary.run': async (r) => ({ jobId: r.jobId, text: 'Rowan: Hello.', tokens: 4, source: 'local', messageIds: r.messages.map((m) => m.id) }),
    ...handlers,
  };
  const offscreen = {
    createDocument: vi.fn(async (_parameters: { url: string; reasons: string[]; justification: string }) => {
      await Promise.resolve();
      if (world.doc) throw new Error('Only a single offscreen document may be created.');
      world.doc = { listening: options.startsListening ?? true };
    }),
    closeDocument: vi.fn(async () => {
      await Promise.resolve();
      if (!world.doc) throw new Error('No current offscreen document.');
      world.doc = null;
    }),
    hasDocument: options.withHasDocument === false ? undefined : vi.fn(async () => world.doc !== null),
  };
  const sendMessage = vi.fn(async (envelope: OffscreenEnvelope): Promise<unknown> => {
    await Promise.resolve();
    if (!world.doc?.listening) throw new Error('Could not establish connection. Receiving end does not exist.');
    return handleOffscreenMessage(all, envelope);
  });
  const deps: OffscreenHostDeps = { offscreen, sendMessage, url: 'chrome-extension://abc/offscreen.html', idleCloseMs: 40, readyPollMs: 5, readyTimeoutMs: 300 };
  return { world, offscreen, sendMessage, deps };
}
