import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_TYPE } from '@troupe/shared/protocol';
import { isEmptyUpdate, parseClientFrame } from './frame.ts';
import { encodeAwarenessFrame, encodeStep1Frame, encodeStep2Frame, encodeUpdateFrame } from './frame-encode.ts';
import { encodeAwarenessUpdate } from './awareness-table.ts';

function codeOf(frame: Uint8Array): string | undefined {
  try {
    parseClientFrame(frame);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('parseClientFrame', () => {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', 'v');
  const update = Y.encodeStateAsUpdate(doc);

  it('reads each y-websocket message a client sends', () => {
    expect(parseClientFrame(encodeStep1Frame(Y.encodeStateVector(doc)))).toMatchObject({ kind: 'sync-step1' });
    expect(parseClientFrame(encodeStep2Frame(update))).toMatchObject({ kind: 'update', step2: true, update });
    expect(parseClientFrame(encodeUpdateFrame(update))).toMatchObject({ kind: 'update', step2: false, update });
    expect(parseClientFrame(encodeAwarenessFrame(encodeAwarenessUpdate([{ clientId: 1, clock: 1, state: '{}' }])))).toMatchObject({
      kind: 'awareness',
      entries: [{ clientId: 1, clock: 1, state: '{}' }],
    });
    expect(parseClientFrame(Uint8Array.of(MESSAGE_TYPE.QUERY_AWARENESS))).toEqual({ kind: 'query-awareness' });
  });

  it('copies payloads out of the frame (they outlive the socket buffer)', () => {
    const frame = encodeUpdateFrame(update);
    const parsed = parseClientFrame(frame);
    frame.fill(0);
    expect(parsed).toMatchObject({ update });
  });

  it('names what is wrong with a frame', () => {
    expect(codeOf(new Uint8Array(0))).toBe('frame/malformed');
    expect(codeOf(Uint8Array.of(9))).toBe('frame/unsupported-type');
    expect(codeOf(Uint8Array.of(MESSAGE_TYPE.AUTH, 0))).toBe('frame/unsupported-type');
    expect(codeOf(Uint8Array.of(0, 7, 0))).toBe('frame/unsupported-type');
    expect(codeOf(Uint8Array.of(...encodeUpdateFrame(update), 0))).toBe('frame/malformed');
    expect(codeOf(Uint8Array.of(MESSAGE_TYPE.QUERY_AWARENESS, 1))).toBe('frame/malformed');
  });

  it('recognises the empty update', () => {
    expect(isEmptyUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    expect(isEmptyUpdate(update)).toBe(false);
  });
});
