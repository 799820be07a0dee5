import { describe, expect, it } from 'vitest';
import { FANOUT_FORMAT_VERSION, decodeFanoutMessage, encodeFanoutMessage, sameNode } from './fanout-message.ts';

const NODE = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

describe('fan-out messages', () => {
  it('round-trip every kind with the sender node id', () => {
    for (const message of [
      { kind: 'update', payload: Uint8Array.of(1, 2, 3) },
      { kind: 'awareness', payload: Uint8Array.of(4) },
      { kind: 'sync-request', payload: Uint8Array.of(0) },
      { kind: 'deleted' },
    ] as const) {
      const decoded = decodeFanoutMessage(encodeFanoutMessage(NODE, message));
      expect(decoded?.message).toEqual(message);
      expect(sameNode(decoded!.nodeId, NODE)).toBe(true);
    }
  });

  it('start with the format version and skip unknown versions or kinds', () => {
    const bytes = encodeFanoutMessage(NODE, { kind: 'update', payload: Uint8Array.of(1) });
    expect(bytes[0]).toBe(FANOUT_FORMAT_VERSION);
    expect(decodeFanoutMessage(Uint8Array.of(FANOUT_FORMAT_VERSION + 1, ...bytes.subarray(1)))).toBeNull();
    expect(decodeFanoutMessage(Uint8Array.of(FANOUT_FORMAT_VERSION, 99, ...bytes.subarray(2)))).toBeNull();
    expect(decodeFanoutMessage(Uint8Array.of(1, 1))).toBeNull();
  });
});
