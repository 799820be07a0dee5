import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_TYPE, joinProtocols } from '@troupe/shared/protocol';
import { connectClient, connectRaw, type RawClient } from './testing/clients.ts';
import { seededRandom } from './testing/prng.ts';
import { startTestServer } from './testing/test-server.ts';
import { waitFor } from './testing/wait-for.ts';
import { encodeAwarenessUpdate } from './rooms/awareness-table.ts';

const TOKEN = 'fuzz-token-0123456789abcdef';
const SEED = 0xf00d;
/** Bounded: this many frames, inside the test's time limit. */
const CASES = 400;
const MAX_FRAME_BYTES = 32 * 1024;

type Expect = 'accepted' | 'bad-frame' | 'too-large' | 'hard-stop' | 'bad-frame-or-accepted';

/** Real frames a y-websocket client sends, to truncate and to wrap random payloads like. */
function realFrames(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'The quick brown fox', { bold: true });
  doc.getMap('m').set('nested', { a: [1, 2, { b: 'c' }] });
  const sync = (type: number, payload: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.SYNC);
    encoding.writeVarUint(encoder, type);
    encoding.writeVarUint8Array(encoder, payload);
    return encoding.toUint8Array(encoder);
  };
  const awareness = encoding.createEncoder();
  encoding.writeVarUint(awareness, MESSAGE_TYPE.AWARENESS);
  encoding.writeVarUint8Array(awareness, encodeAwarenessUpdate([{ clientId: 42, clock: 3, state: '{"user":{"name":"fuzz"}}' }]));
  return [
    sync(SYNC_TYPE.STEP1, Y.encodeStateVector(doc)),
    sync(SYNC_TYPE.STEP2, Y.encodeStateAsUpdate(doc)),
    sync(SYNC_TYPE.UPDATE, Y.encodeStateAsUpdate(doc)),
    encoding.toUint8Array(awareness),
  ];
}

function wrap(type: number, subType: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  if (subType !== null) encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function fuzzCase(random: () => number, frames: Uint8Array[]): { frame: Uint8Array | string; expect: Expect; label: string } {
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const pick = Math.floor(random() * 100);
  const real = () => frames[Math.floor(random() * frames.length)]!;
  if (pick < 30) {
    const source = real();
    return { frame: source.slice(0, Math.floor(random() * source.length)), expect: 'bad-frame', label: 'truncated' };
  }
  if (pick < 48) {
    const frame = bytes(1 + Math.floor(random() * 200));
    frame[0] = [2, 4, 5, 9, 0x7f, 0xff][Math.floor(random() * 6)]!;
    return { frame, expect: 'bad-frame', label: 'random type' };
  }
  if (pick < 66) {
    const sub = [SYNC_TYPE.STEP1, SYNC_TYPE.STEP2, SYNC_TYPE.UPDATE][Math.floor(random() * 3)]!;
    return { frame: wrap(MESSAGE_TYPE.SYNC, sub, bytes(Math.floor(random() * 120))), expect: 'bad-frame-or-accepted', label: 'random sync payload' };
  }
  if (pick < 76) {
    return { frame: wrap(MESSAGE_TYPE.AWARENESS, null, bytes(Math.floor(random() * 60))), expect: 'bad-frame-or-accepted', label: 'random awareness' };
  }
  if (pick < 82) {
    const mutated = real().slice();
    for (let i = 0; i < 3; i++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
    return { frame: mutated, expect: 'bad-frame-or-accepted', label: 'mutated real frame' };
  }
  // Control: untouched frames must be accepted, which shows the harness can tell acceptance apart.
  if (pick < 87) return { frame: real(), expect: 'accepted', label: 'real frame' };
  if (pick < 91) return { frame: 'text frame ' + random(), expect: 'bad-frame', label: 'text' };
  if (pick < 98) {
    return { frame: bytes(MAX_FRAME_BYTES + 1 + Math.floor(random() * MAX_FRAME_BYTES)), expect: 'too-large', label: 'oversized' };
  }
  return { frame: bytes(2 * MAX_FRAME_BYTES + 1 + Math.floor(random() * 1024)), expect: 'hard-stop', label: 'beyond the hard stop' };
}

const cleanups: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('fuzzing the relay with random, truncated and oversized frames', () => {
  it(`survives ${CASES} seeded bad frames, closing only the offender with the right code`, { timeout: 60_000 }, async () => {
    const server = await startTestServer({ limits: { maxFrameBytes: MAX_FRAME_BYTES, messagesPerSecond: 100_000, messageBurst: 100_000 } });
    cleanups.push(() => server.close(), () => rmSync(server.dataDir, { recursive: true, force: true }));
    // Bystanders: a pair in another room, and a client in the fuzzed room itself.
    const left = connectClient(server.url, 'room-bystander', TOKEN);
    const right = connectClient(server.url, 'room-bystander', TOKEN);
    const sameRoom = connectClient(server.url, 'room-fuzzing', TOKEN);
    cleanups.push(() => left.destroy(), () => right.destroy(), () => sameRoom.destroy());
    await waitFor(() => left.provider.synced && right.provider.synced && sameRoom.provider.synced, 'bystanders synced');

    const random = seededRandom(SEED);
    const frames = realFrames();
    const counts: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    let fuzzer: RawClient | null = null;
    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      if (!fuzzer || fuzzer.closed) {
        fuzzer = connectRaw(server.url, 'room-fuzzing', joinProtocols(TOKEN));
        await fuzzer.opened;
        await waitFor(() => fuzzer!.frames.length > 0, 'relay greeted the fuzzer', 10_000, 1);
      }
      const current: RawClient = fuzzer;
      const { frame, expect: expected, label } = fuzzCase(random, frames);
      counts[label] = (counts[label] ?? 0) + 1;
      const before = current.frames.length;
      current.send(frame);
      current.send(Uint8Array.of(MESSAGE_TYPE.QUERY_AWARENESS)); // answered only if the frame was accepted
      // An answer to the query proves the relay accepted the frame; a close says why it did not.
      await waitFor(() => current.closed ?? (current.frames.length > before ? 'open' : null), `case ${i} (${label}) decided`, 10_000, 1);
      const outcome = current.closed ? current.closed.code : 'accepted';
      outcomes[String(outcome)] = (outcomes[String(outcome)] ?? 0) + 1;
      if (expected === 'accepted') expect(outcome, `case ${i}: ${label}`).toBe('accepted');
      if (expected === 'bad-frame') expect(outcome, `case ${i}: ${label}`).toBe(CLOSE_CODES.BAD_FRAME);
      if (expected === 'too-large') expect(outcome, `case ${i}: ${label}`).toBe(CLOSE_CODES.TOO_LARGE);
      if (expected === 'hard-stop') expect(outcome, `case ${i}: ${label}`).toBe(1009);
      if (expected === 'bad-frame-or-accepted') expect([CLOSE_CODES.BAD_FRAME, 'accepted'], `case ${i}: ${label}`).toContain(outcome);
      // Ensure the next case starts on a settled connection.
      if (current.closed === null && outcome !== 'accepted') await waitFor(() => current.closed, 'closed');
    }
    fuzzer?.socket.close();
    expect(Object.keys(counts)).toHaveLength(9);
    expect(Object.keys(outcomes).sort()).toEqual(['1009', String(CLOSE_CODES.BAD_FRAME), String(CLOSE_CODES.TOO_LARGE), 'accepted']);
    expect(Date.now() - started).toBeLessThan(45_000);

    // Nothing else was affected: the process answers, the bystanders never lost their connections and still sync.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    left.doc.getMap('after').set('fuzz', 'done');
    await waitFor(() => right.doc.getMap('after').get('fuzz') === 'done', 'other room still syncing');
    sameRoom.doc.getMap('after').set('still', 'here');
    const check = connectClient(server.url, 'room-fuzzing', TOKEN);
    cleanups.push(() => check.destroy());
    await waitFor(() => check.doc.getMap('after').get('still') === 'here', 'fuzzed room still syncing');
    expect([...left.closeCodes, ...right.closeCodes, ...sameRoom.closeCodes]).toEqual([]);
  });
});
