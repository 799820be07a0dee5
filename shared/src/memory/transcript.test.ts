import { describe, expect, it } from 'vitest';
import { applyTranscriptOpsToList, contentHash, framed, messagesHash, reconcileTranscript } from './transcript.ts';
import type { TranscriptMessage } from './types.ts';

const user = (id: string, text = `user says ${id}`): TranscriptMessage => ({ id, role: 'user', text, at: 1 });
const bot = (id: string, text = `bot says ${id}`): TranscriptMessage => ({ id, role: 'assistant', text, at: 2 });

/** A chat of `pairs` exchanges: u1, a1, u2, a2, … */
function chat(pairs: number): TranscriptMessage[] {
  return Array.from({ length: pairs }, (_, i) => [user(`u${i + 1}`), bot(`a${i + 1}`)]).flat();
}

/** Reconciles and checks that the ops turn kept into current. */
function reconcile(kept: TranscriptMessage[], current: TranscriptMessage[]) {
  const result = reconcileTranscript(kept, current);
  expect(applyTranscriptOpsToList(kept, result.ops)).toEqual(current);
  return result;
}

describe('reconcileTranscript', () => {
  it('does nothing when the chat is unchanged', () => {
    expect(reconcile(chat(3), chat(3))).toEqual({ ops: [], changed: [], deleted: [], moved: [], invalidated: [] });
  });

  it('appends a new exchange without invalidating anything', () => {
    const kept = chat(2);
    const result = reconcile(kept, chat(3));
    expect(result.ops).toEqual([
      { kind: 'insert', index: 4, after: 'a2', message: user('u3') },
      { kind: 'insert', index: 5, after: 'u3', message: bot('a3') },
    ]);
    expect(result.invalidated).toEqual([]);
  });

  it('picks up a whole chat started before Troupe was active', () => {
    const result = reconcile([], chat(50));
    expect(result.ops).toHaveLength(100);
    expect(result.ops.every((op) => op.kind === 'insert')).toBe(true);
    expect(result.invalidated).toEqual([]);
  });

  it('updates an old message edited in NextChat in place (same id, new text)', () => {
    const current = chat(3);
    current[1] = bot('a1', 'An edited reply.');
    const result = reconcile(chat(3), current);
    expect(result.ops).toEqual([{ kind: 'update', id: 'a1', role: 'assistant', text: 'An edited reply.' }]);
    expect(result.changed).toEqual(['a1']);
    expect(result.invalidated).toEqual(['a1']);
  });

  it('deletes a message deleted in NextChat', () => {
    const current = chat(3).filter((message) => message.id !== 'u2');
    const result = reconcile(chat(3), current);
    expect(result.ops).toEqual([{ kind: 'delete', id: 'u2' }]);
    expect(result.deleted).toEqual(['u2']);
    expect(result.invalidated).toEqual(['u2']);
  });

  it("follows a regeneration: Retry deletes the pair and sends the same text as new messages", () => {
    const kept = chat(3);
    const current = [...chat(2), user('u3-retry', 'user says u3'), bot('a3-retry', 'A different reply.')];
    const result = reconcile(kept, current);
    expect(result.ops).toEqual([
      { kind: 'delete', id: 'u3' },
      { kind: 'delete', id: 'a3' },
      { kind: 'insert', index: 4, after: 'a2', message: current[4] },
      { kind: 'insert', index: 5, after: 'u3-retry', message: current[5] },
    ]);
    expect(result.invalidated).toEqual(['u3', 'a3']);
  });

  it('follows a retry of an old exchange (the new pair goes to the end, as NextChat puts it)', () => {
    const kept = chat(3);
    const current = [user('u1'), bot('a1'), user('u3'), bot('a3'), user('u2b', 'user says u2'), bot('a2b')];
    const result = reconcile(kept, current);
    expect(result.deleted).toEqual(['u2', 'a2']);
    expect(result.moved).toEqual([]);
  });

  it('treats a fork as a separate transcript: new ids, nothing shared with the original', () => {
    const original = chat(3);
    const fork = original.map((message) => ({ ...message, id: `fork-${message.id}` }));
    const forkResult = reconcile([], fork);
    expect(forkResult.ops.map((op) => (op.kind === 'insert' ? op.message.id : ''))).toEqual(fork.map((message) => message.id));
    // The original chat, reconciled with its own session, is untouched by the fork.
    expect(reconcile(original, original).ops).toEqual([]);
    // Had the fork's messages been reconciled into the original's transcript, every message would be replaced: never shared.
    expect(reconcileTranscript(original, fork).deleted).toEqual(original.map((message) => message.id));
  });

  it('survives a reorder (never made by NextChat) as delete and insert, without losing a message', () => {
    const kept = chat(3);
    const current = [kept[0]!, kept[1]!, kept[4]!, kept[5]!, kept[2]!, kept[3]!];
    const result = reconcile(kept, current);
    expect(result.deleted).toEqual([]);
    expect(result.moved).toHaveLength(2);
    expect(result.invalidated).toEqual(result.moved.slice().sort((a, b) => kept.findIndex((m) => m.id === a) - kept.findIndex((m) => m.id === b)));
    for (const id of result.moved) {
      expect(result.ops).toContainEqual({ kind: 'delete', id });
      expect(result.ops.some((op) => op.kind === 'insert' && op.message.id === id)).toBe(true);
    }
  });

  it('counts a moved message whose text changed as changed too', () => {
    const kept = chat(2);
    const current = [bot('a2', 'changed'), kept[0]!, kept[1]!, kept[2]!];
    const result = reconcile(kept, current);
    expect(result.moved).toEqual(['a2']);
    expect(result.changed).toEqual(['a2']);
    expect(result.invalidated).toEqual(['a2']);
  });

  it('ignores repeated ids (keeps the first)', () => {
    const kept = chat(2);
    const result = reconcileTranscript([...kept, kept[0]!], [...kept, { ...kept[1]!, text: 'later copy' }]);
    expect(result.ops).toEqual([]);
  });

  it('with localIds, leaves messages that came from another device and this NextChat never had', () => {
    const kept = [...chat(2), user('u3-other-device'), bot('a3-other-device')];
    const local = chat(3);
    const localIds = new Set([...chat(2), user('gone')].map((message) => message.id));
    const result = reconcileTranscript([...kept.slice(0, 2), user('gone'), ...kept.slice(2)], local, { localIds });
    expect(result.deleted).toEqual(['gone']);
    const applied = applyTranscriptOpsToList([...kept.slice(0, 2), user('gone'), ...kept.slice(2)], result.ops).map((message) => message.id);
    expect(applied).toEqual(['u1', 'a1', 'u2', 'a2', 'u3', 'a3', 'u3-other-device', 'a3-other-device']);
  });

  it('turns any kept list into any current list (random edits, deletions, retries, reorders)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let next = 0;
    for (let round = 0; round < 300; round++) {
      const kept = Array.from({ length: random(12) }, () => user(`m${next++}`));
      const current = kept.map((message) => ({ ...message }));
      for (let change = random(6); change > 0; change--) {
        const at = random(current.length + 1);
        const kind = random(4);
        if (kind === 0) current.splice(at, 0, user(`m${next++}`));
        else if (kind === 1 && current[at]) current.splice(at, 1);
        else if (kind === 2 && current[at]) current[at] = { ...current[at]!, text: `edit ${next++}` };
        else if (current.length > 1) current.push(current.splice(at % current.length, 1)[0]!);
      }
      const result = reconcile(kept, current);
      const keptIds = new Set(kept.map((message) => message.id));
      expect(result.invalidated.every((id) => keptIds.has(id))).toBe(true);
    }
  });
});

describe('applyTranscriptOpsToList', () => {
  it('is idempotent by id: inserting a kept id updates it in place', () => {
    const list = chat(1);
    expect(applyTranscriptOpsToList(list, [{ kind: 'insert', index: 2, after: 'a1', message: user('u1', 'again') }])).toEqual([user('u1', 'again'), bot('a1')]);
  });

  it('ignores updates and deletes of unknown ids and clamps insert positions', () => {
    const list = chat(1);
    expect(applyTranscriptOpsToList(list, [{ kind: 'delete', id: 'x' }, { kind: 'update', id: 'x', role: 'user', text: '' }])).toEqual(list);
    expect(applyTranscriptOpsToList(list, [{ kind: 'insert', index: 99, after: 'zz', message: user('u2') }]).map((m) => m.id)).toEqual(['u1', 'a1', 'u2']);
  });
});

describe('content hashes', () => {
  it('is cyrb53 as 14 hex digits (its published test values)', () => {
    expect(parseInt(contentHash('a'), 16)).toBe(7929297801672961);
    expect(parseInt(contentHash('revenge'), 16)).toBe(4051478007546757);
    expect(parseInt(contentHash('revenue'), 16)).toBe(8309097637345594);
    expect(contentHash('')).toMatch(/^[0-9a-f]{14}$/);
    expect(contentHash('a', 1)).not.toBe(contentHash('a'));
  });

  it('frames parts so that different lists never join to the same text', () => {
    expect(framed(['ab', 'c'])).not.toBe(framed(['a', 'bc']));
    expect(framed(['1:a'])).not.toBe(framed(['1', 'a']));
  });

  it("changes a messages' hash with any id, role, text or order change", () => {
    const base = chat(2);
    const hash = messagesHash(base);
    expect(messagesHash(chat(2))).toBe(hash);
    expect(messagesHash([{ ...base[0]!, text: 'x' }, ...base.slice(1)])).not.toBe(hash);
    expect(messagesHash([{ ...base[0]!, role: 'system' }, ...base.slice(1)])).not.toBe(hash);
    expect(messagesHash([{ ...base[0]!, id: 'other' }, ...base.slice(1)])).not.toBe(hash);
    expect(messagesHash([base[1]!, base[0]!, ...base.slice(2)])).not.toBe(hash);
    expect(messagesHash([{ ...base[0]!, at: 99 }, ...base.slice(1)])).toBe(hash);
  });
});
