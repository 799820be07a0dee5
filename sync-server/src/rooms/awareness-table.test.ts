import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { AWARENESS_STALE_MS } from '../limits.ts';
import { AwarenessTable, encodeAwarenessUpdate, parseAwarenessUpdate } from './awareness-table.ts';
import { RelayError } from './errors.ts';

describe('awareness wire format', () => {
  it('reads what y-protocols writes and writes what y-protocols reads', () => {
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState({ user: { name: 'Ann', color: '#f00' } });
    const entries = parseAwarenessUpdate(awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]));
    expect(entries).toEqual([{ clientId: awareness.clientID, clock: 1, state: '{"user":{"name":"Ann","color":"#f00"}}' }]);

    const peer = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(peer, encodeAwarenessUpdate(entries), 'relay');
    expect(peer.getStates().get(awareness.clientID)).toEqual({ user: { name: 'Ann', color: '#f00' } });
    awareness.destroy();
    peer.destroy();
  });

  it('refuses states that are not JSON and truncated updates', () => {
    expect(() => parseAwarenessUpdate(encodeAwarenessUpdate([{ clientId: 1, clock: 1, state: '{nope' }]))).toThrow(RelayError);
    const good = encodeAwarenessUpdate([{ clientId: 1, clock: 1, state: '{}' }]);
    expect(() => parseAwarenessUpdate(good.subarray(0, good.length - 1))).toThrow(RelayError);
  });
});

describe('AwarenessTable', () => {
  it('applies the y-protocols clock rule', () => {
    const table = new AwarenessTable();
    expect(table.apply([{ clientId: 1, clock: 0, state: '{"a":0}' }])).toHaveLength(0); // unknown client at clock 0
    expect(table.apply([{ clientId: 1, clock: 2, state: '{"a":2}' }])).toHaveLength(1);
    expect(table.apply([{ clientId: 1, clock: 1, state: '{"a":1}' }])).toHaveLength(0);
    expect(table.apply([{ clientId: 1, clock: 2, state: '{"a":"same clock"}' }])).toHaveLength(0);
    expect(table.apply([{ clientId: 1, clock: 2, state: 'null' }])).toHaveLength(1); // removal at equal clock wins
    expect(table.current()).toEqual([]);
  });

  it('marks removed clients with a higher clock, once', () => {
    const table = new AwarenessTable();
    table.apply([{ clientId: 5, clock: 3, state: '{}' }]);
    expect(table.remove([5, 6])).toEqual([{ clientId: 5, clock: 4, state: 'null' }]);
    expect(table.remove([5])).toEqual([]);
    expect(table.apply([{ clientId: 5, clock: 4, state: '{"back":true}' }])).toHaveLength(0);
    expect(table.apply([{ clientId: 5, clock: 5, state: '{"back":true}' }])).toHaveLength(1);
  });

  it('stops handing out states that were not renewed', () => {
    let now = 0;
    const table = new AwarenessTable(() => now);
    table.apply([{ clientId: 1, clock: 1, state: '{"old":true}' }]);
    now = AWARENESS_STALE_MS / 2;
    table.apply([{ clientId: 2, clock: 1, state: '{"fresh":true}' }]);
    now = AWARENESS_STALE_MS + 1;
    expect(table.current().map((entry) => entry.clientId)).toEqual([2]);
  });
});
