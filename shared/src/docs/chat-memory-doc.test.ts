import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { reconcileTranscript } from '../memory/transcript.ts';
import type { PinnedFact, Summary, TranscriptMessage } from '../memory/types.ts';
import {
  applyTranscriptOps, CHAT_MEMORY_DOC_FORMAT, checkChatMemoryFormat, initChatMemory, isChatMemoryReadable, putFact, putSummary, readChatMemory,
  removeFact, removeSummary,
} from './chat-memory-doc.ts';
import { MAX_CHAT_MEMORY_CHARS, MAX_CHAT_MESSAGES, MAX_CHAT_SUMMARIES, MAX_FACT_CHARS, MAX_MESSAGE_CHARS, MAX_PINNED_FACTS, MAX_SUMMARY_CHARS } from './limits.ts';

const user = (id: string, text = `user says ${id}`): TranscriptMessage => ({ id, role: 'user', text, at: 1 });
const bot = (id: string, text = `bot says ${id}`): TranscriptMessage => ({ id, role: 'assistant', text, at: 2 });
const chat = (pairs: number, prefix = ''): TranscriptMessage[] =>
  Array.from({ length: pairs }, (_, i) => [user(`${prefix}u${i + 1}`), bot(`${prefix}a${i + 1}`)]).flat();

/** What a device does after a NextChat change: reconcile the doc's transcript with NextChat's messages. */
function follow(doc: Y.Doc, current: TranscriptMessage[], now = 10) {
  return applyTranscriptOps(doc, reconcileTranscript(readChatMemory(doc).messages, current).ops, { now });
}

/** Exchanges both docs' states, as two devices do through the relay. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function synced(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const ids = (doc: Y.Doc) => readChatMemory(doc).messages.map((message) => message.id);
const summary = (id: string, extra: Partial<Summary> = {}): Summary => ({
  id, level: 0, covers: ['u1', 'a1'], coverHash: '00000000000000', text: `summary ${id}`, tokens: 12, source: 'model', at: 5, ...extra,
});
const fact = (id: string, text = `fact ${id}`, extra: Partial<PinnedFact> = {}): PinnedFact => ({ id, text, at: 3, ...extra });
const code = (value: string) => expect.objectContaining({ name: 'DocError', code: value }) as Error;

describe('chat memory transcript', () => {
  it('keeps the transcript in NextChat order and syncs it to another device', () => {
    const doc = new Y.Doc();
    initChatMemory(doc, { chatKey: 'nextchat:session-1', characterId: 'char-1' });
    expect(follow(doc, chat(3)).inserted).toHaveLength(6);
    const copy = synced(doc);
    expect(readChatMemory(copy)).toEqual({ format: 1, chatKey: 'nextchat:session-1', characterId: 'char-1', messages: chat(3), summaries: [], facts: [] });
  });

  it('follows edits, deletions and regenerations made in NextChat', () => {
    const doc = new Y.Doc();
    follow(doc, chat(3));
    const edited = chat(3);
    edited[1] = bot('a1', 'An edited reply.');
    expect(follow(doc, edited).updated).toEqual(['a1']);
    const deleted = edited.filter((message) => message.id !== 'u2' && message.id !== 'a2');
    expect(follow(doc, deleted).deleted).toEqual(['u2', 'a2']);
    const retried = [...deleted.slice(0, 2), user('u3b', 'user says u3'), bot('a3b', 'Another reply.')];
    const result = follow(doc, retried);
    expect(result).toEqual({ inserted: ['u3b', 'a3b'], updated: [], deleted: ['u3', 'a3'], ignored: [] });
    expect(readChatMemory(doc).messages).toEqual(retried);
    expect(readChatMemory(synced(doc)).messages).toEqual(retried);
  });

  it('writes each batch in one transaction (one sync update)', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    follow(doc, chat(20));
    expect(updates).toBe(1);
    follow(doc, chat(20));
    expect(updates).toBe(1);
  });

  it('keeps a fork as its own transcript: its doc shares nothing with the original', () => {
    const original = new Y.Doc();
    follow(original, chat(2));
    const fork = new Y.Doc();
    follow(fork, chat(2).map((message) => ({ ...message, id: `fork-${message.id}` })));
    follow(fork, [...readChatMemory(fork).messages, user('fork-u3')]);
    expect(ids(original)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(ids(fork)).toEqual(['fork-u1', 'fork-a1', 'fork-u2', 'fork-a2', 'fork-u3']);
  });

  it('moves a message reordered in one batch instead of deleting it', () => {
    const doc = new Y.Doc();
    follow(doc, chat(2));
    const reordered = [user('u2'), bot('a2'), user('u1'), bot('a1')];
    const result = follow(doc, reordered);
    expect(result.deleted).toEqual([]);
    expect(readChatMemory(doc).messages).toEqual(reordered);
    expect(doc.getArray('order').toArray()).toEqual(['u2', 'a2', 'u1', 'a1']);
  });

  it('never brings back a deleted message, even when an older NextChat store still has it', () => {
    const doc = new Y.Doc();
    follow(doc, chat(2));
    follow(doc, chat(1));
    const result = applyTranscriptOps(doc, reconcileTranscript(readChatMemory(doc).messages, chat(2)).ops);
    expect(result.ignored).toEqual(['u2', 'a2']);
    expect(ids(doc)).toEqual(['u1', 'a1']);
  });

  it('places an insert whose anchor it does not have at its index in the live transcript', () => {
    const doc = new Y.Doc();
    follow(doc, chat(2));
    applyTranscriptOps(doc, [{ kind: 'insert', index: 2, after: 'unknown', message: user('x') }]);
    expect(ids(doc)).toEqual(['u1', 'a1', 'x', 'u2', 'a2']);
    applyTranscriptOps(doc, [{ kind: 'insert', index: 0, after: null, message: user('first') }]);
    expect(ids(doc)[0]).toBe('first');
  });
});

describe('chat memory on two devices', () => {
  it('keeps a message both devices appended at once only once, in the same order on both, and repairs the order', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    follow(a, chat(1));
    exchange(a, b);
    // Both devices see NextChat's next exchange (NextChat's own sync gave both the same messages).
    follow(a, chat(2));
    follow(b, chat(2));
    exchange(a, b);
    expect(ids(a)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(ids(b)).toEqual(ids(a));
    expect(a.getArray('order').length).toBe(6);
    // The next write on either device removes the repeats, and the other device agrees.
    follow(b, chat(3));
    exchange(a, b);
    expect(b.getArray('order').toArray()).toEqual(['u1', 'a1', 'u2', 'a2', 'u3', 'a3']);
    expect(ids(a)).toEqual(ids(b));
  });

  it('repairs the same repeats on both devices at once without losing the message', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    follow(a, chat(1));
    follow(b, chat(1));
    exchange(a, b);
    follow(a, [...chat(1), user('x')]);
    follow(b, [...chat(1), user('y')]);
    exchange(a, b);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a).filter((id) => id === 'u1')).toHaveLength(1);
    expect(a.getArray('order').toArray().filter((id) => id === 'u1')).toHaveLength(1);
    expect(ids(a)).toEqual(expect.arrayContaining(['u1', 'a1', 'x', 'y']));
  });

  it('merges different messages appended at once on two devices, in one order on both', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    follow(a, chat(1));
    exchange(a, b);
    applyTranscriptOps(a, [{ kind: 'insert', index: 2, after: 'a1', message: user('from-a') }]);
    applyTranscriptOps(b, [{ kind: 'insert', index: 2, after: 'a1', message: user('from-b') }]);
    exchange(a, b);
    expect(ids(a)).toHaveLength(4);
    expect(ids(a)).toEqual(ids(b));
  });

  it('lets a deletion win over a concurrent edit of the same message, on both devices', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    follow(a, chat(2));
    exchange(a, b);
    follow(a, chat(2).filter((message) => message.id !== 'a1'));
    const edited = chat(2);
    edited[1] = bot('a1', 'Edited on the other device.');
    follow(b, edited);
    exchange(a, b);
    expect(ids(a)).toEqual(['u1', 'u2', 'a2']);
    expect(ids(b)).toEqual(['u1', 'u2', 'a2']);
    // The editing device's NextChat still shows the message: following it again changes nothing.
    expect(follow(b, edited).ignored).toEqual(['a1']);
    exchange(a, b);
    expect(ids(a)).toEqual(['u1', 'u2', 'a2']);
  });

  it('keeps a deleted fact deleted when an old device edits it', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    putFact(a, fact('f1', 'Mira owes Bo ten coins.'));
    putFact(a, fact('f2'));
    exchange(a, b);
    expect(removeFact(a, 'f1', { now: 9 })).toBe(true);
    expect(putFact(b, fact('f1', 'Mira owes Bo twelve coins.'))).toBe(true);
    exchange(a, b);
    expect(readChatMemory(a).facts.map((f) => f.id)).toEqual(['f2']);
    expect(readChatMemory(b).facts.map((f) => f.id)).toEqual(['f2']);
    expect(putFact(b, fact('f1', 'again'))).toBe(false);
    expect(removeFact(b, 'f1')).toBe(false);
    expect(readChatMemory(synced(b)).facts.map((f) => f.id)).toEqual(['f2']);
  });

  it('keeps one summary when two devices make the same one', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    putSummary(a, summary('s0-x', { text: 'from a' }));
    putSummary(b, summary('s0-x', { text: 'from b', source: 'local' }));
    exchange(a, b);
    expect(readChatMemory(a).summaries).toHaveLength(1);
    expect(readChatMemory(a).summaries).toEqual(readChatMemory(b).summaries);
  });
});

describe('chat memory summaries and facts', () => {
  it('stores, reads and removes summaries, sorted by level then id', () => {
    const doc = new Y.Doc();
    putSummary(doc, summary('s1-b', { level: 1, covers: ['s0-a'] }));
    putSummary(doc, summary('s0-a'));
    expect(readChatMemory(synced(doc)).summaries.map((s) => s.id)).toEqual(['s0-a', 's1-b']);
    expect(readChatMemory(doc).summaries[0]).toEqual(summary('s0-a'));
    expect(removeSummary(doc, 's0-a')).toBe(true);
    expect(removeSummary(doc, 's0-a')).toBe(false);
    // A summary is derived data: a removed one can be made again.
    putSummary(doc, summary('s0-a'));
    expect(readChatMemory(doc).summaries).toHaveLength(2);
  });

  it('stores only the fields of its layout: nothing else (an API key, settings) reaches the synced doc', () => {
    const doc = new Y.Doc();
    putSummary(doc, { ...summary('s0-a'), apiKey: 'sk-secret', settings: { endpoint: 'x' } } as Summary);
    putFact(doc, { ...fact('f1'), apiKey: 'sk-secret' } as PinnedFact);
    applyTranscriptOps(doc, [{ kind: 'insert', index: 0, after: null, message: { ...user('u1'), apiKey: 'sk-secret' } as TranscriptMessage }]);
    const bytes = Y.encodeStateAsUpdate(doc);
    expect(new TextDecoder().decode(bytes)).not.toContain('sk-secret');
    expect(new TextDecoder().decode(bytes)).not.toContain('endpoint');
  });

  it('writes nothing when the same summary or fact is stored again', () => {
    const doc = new Y.Doc();
    putSummary(doc, summary('s0-a'));
    putFact(doc, fact('f1', 'x', { fromMessageId: 'a1' }));
    const before = Y.encodeStateVector(doc);
    putSummary(doc, summary('s0-a'));
    putFact(doc, fact('f1', 'x', { fromMessageId: 'a1' }));
    expect(Y.encodeStateAsUpdate(doc, before).byteLength).toBeLessThan(4);
  });

  it('keeps pinned facts in the order they were pinned, with the message they came from', () => {
    const doc = new Y.Doc();
    putFact(doc, fact('f2', 'second', { at: 20 }));
    putFact(doc, fact('f1', 'first', { at: 10, fromMessageId: 'a1' }));
    expect(readChatMemory(doc).facts).toEqual([{ id: 'f1', text: 'first', fromMessageId: 'a1', at: 10 }, { id: 'f2', text: 'second', at: 20 }]);
  });

  it('refuses summaries and facts this layout cannot hold', () => {
    const doc = new Y.Doc();
    for (const bad of [summary(''), summary('s', { level: -1 }), summary('s', { level: 1.5 }), summary('s', { covers: [] }), summary('s', { covers: [''] }),
      summary('s', { source: 'other' as Summary['source'] }), summary('s', { tokens: Number.NaN }), summary('s', { text: 7 as unknown as string })]) {
      expect(() => putSummary(doc, bad)).toThrowError(code('doc/invalid-field'));
    }
    expect(() => putFact(doc, fact(''))).toThrowError(code('doc/invalid-field'));
    expect(() => putFact(doc, fact('f', 'x', { at: Number.POSITIVE_INFINITY }))).toThrowError(code('doc/invalid-field'));
    expect(readChatMemory(doc)).toMatchObject({ summaries: [], facts: [] });
  });

  it('skips malformed values from a misbehaving peer, and keys that pose as fields', () => {
    const doc = new Y.Doc();
    follow(doc, chat(1));
    doc.getMap('messages').set('bad', { role: 'wizard', text: 'x' });
    doc.getArray('order').push(['bad', 'nowhere']);
    doc.getMap('summaries').set('s-bad', { level: 0, covers: 'u1', coverHash: 'h', text: 't', tokens: 1, source: 'model', at: 1 });
    doc.getMap('facts').set('f-bad', { text: 5, at: 1 });
    const posing = JSON.parse('{"__proto__": {"text": "inherited"}, "at": 1}') as object;
    doc.getMap('facts').set('f-proto', posing);
    const read = readChatMemory(synced(doc));
    expect(read.messages.map((m) => m.id)).toEqual(['u1', 'a1']);
    expect(read.summaries).toEqual([]);
    expect(read.facts).toEqual([]);
  });
});

describe('chat memory limits', () => {
  it('refuses a message over MAX_MESSAGE_CHARS and writes nothing of the batch', () => {
    const doc = new Y.Doc();
    const batch = reconcileTranscript([], [user('u1'), bot('a1', 'x'.repeat(MAX_MESSAGE_CHARS + 1))]).ops;
    expect(() => applyTranscriptOps(doc, batch)).toThrowError(code('doc/message-too-long'));
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThan(4);
    expect(() => applyTranscriptOps(doc, [{ kind: 'insert', index: 0, after: null, message: { id: 'r', role: 'robot', text: '' } as unknown as TranscriptMessage }]))
      .toThrowError(code('doc/invalid-field'));
  });

  it('refuses more than MAX_CHAT_MESSAGES messages, and still allows deleting', () => {
    const doc = new Y.Doc();
    const many = Array.from({ length: MAX_CHAT_MESSAGES }, (_, i) => user(`m${i}`, 'hi'));
    follow(doc, many);
    expect(() => follow(doc, [...many, user('one-more')])).toThrowError(code('doc/too-many-messages'));
    expect(ids(doc)).toHaveLength(MAX_CHAT_MESSAGES);
    // A regeneration (delete two, add two) keeps the count and is allowed.
    follow(doc, [...many.slice(0, -2), user('r1'), user('r2')]);
    expect(ids(doc).slice(-2)).toEqual(['r1', 'r2']);
  });

  it('refuses text beyond MAX_CHAT_MEMORY_CHARS (the doc must fit one relay frame)', () => {
    const doc = new Y.Doc();
    const long = 'y'.repeat(MAX_MESSAGE_CHARS);
    const count = Math.floor(MAX_CHAT_MEMORY_CHARS / MAX_MESSAGE_CHARS);
    const full = Array.from({ length: count }, (_, i) => user(`m${i}`, long));
    follow(doc, full);
    expect(() => follow(doc, [...full, user('more', long)])).toThrowError(code('doc/chat-memory-full'));
    expect(() => putFact(doc, fact('f1', 'z'.repeat(MAX_FACT_CHARS)))).toThrowError(code('doc/chat-memory-full'));
    expect(() => putSummary(doc, summary('s', { text: 'z'.repeat(MAX_SUMMARY_CHARS) }))).toThrowError(code('doc/chat-memory-full'));
    // Edits that shorten text are always allowed.
    follow(doc, full.map((message, i) => (i === 0 ? { ...message, text: 'short' } : message)));
    expect(readChatMemory(doc).messages[0]!.text).toBe('short');
  });

  it('refuses a summary over MAX_SUMMARY_CHARS and more than MAX_CHAT_SUMMARIES', () => {
    const doc = new Y.Doc();
    expect(() => putSummary(doc, summary('s', { text: 'x'.repeat(MAX_SUMMARY_CHARS + 1) }))).toThrowError(code('doc/summary-too-long'));
    doc.transact(() => {
      for (let i = 0; i < MAX_CHAT_SUMMARIES; i++) doc.getMap('summaries').set(`s${i}`, { level: 0, covers: ['u1'], coverHash: 'h', text: '', tokens: 0, source: 'local', at: 1 });
    });
    expect(() => putSummary(doc, summary('one-more'))).toThrowError(code('doc/too-many-summaries'));
    putSummary(doc, summary('s0', { text: 'replacing one is fine' }));
  });

  it('refuses a fact over MAX_FACT_CHARS and more than MAX_PINNED_FACTS (deleted facts do not count)', () => {
    const doc = new Y.Doc();
    expect(() => putFact(doc, fact('f', 'x'.repeat(MAX_FACT_CHARS + 1)))).toThrowError(code('doc/fact-too-long'));
    for (let i = 0; i < MAX_PINNED_FACTS; i++) putFact(doc, fact(`f${i}`));
    expect(() => putFact(doc, fact('one-more'))).toThrowError(code('doc/too-many-facts'));
    removeFact(doc, 'f0');
    expect(putFact(doc, fact('one-more'))).toBe(true);
  });
});

describe('chat memory format', () => {
  it('reads a doc no device marked as format 1, and never marks format 1 itself', () => {
    const doc = new Y.Doc();
    follow(doc, chat(1));
    putFact(doc, fact('f1'));
    initChatMemory(doc, { chatKey: 'k', characterId: 'c' });
    expect(checkChatMemoryFormat(doc)).toBe(CHAT_MEMORY_DOC_FORMAT);
    expect(doc.getMap('meta').get('format')).toBeUndefined();
  });

  it('refuses to read or write a doc from a newer format', () => {
    const doc = new Y.Doc();
    follow(doc, chat(1));
    const newer = new Y.Doc();
    newer.getMap('meta').set('format', CHAT_MEMORY_DOC_FORMAT + 1);
    exchange(doc, newer);
    expect(isChatMemoryReadable(doc)).toBe(false);
    const tooNew = code('doc/too-new');
    expect(() => readChatMemory(doc)).toThrowError(tooNew);
    expect(() => follow(doc, chat(2))).toThrowError(tooNew);
    expect(() => putSummary(doc, summary('s'))).toThrowError(tooNew);
    expect(() => removeSummary(doc, 's')).toThrowError(tooNew);
    expect(() => putFact(doc, fact('f'))).toThrowError(tooNew);
    expect(() => removeFact(doc, 'f')).toThrowError(tooNew);
    expect(() => initChatMemory(doc, { chatKey: 'k', characterId: 'c' })).toThrowError(tooNew);
    expect(() => readChatMemory(doc)).toThrowError(/A chat's memory was saved by a newer Troupe/);
  });

  it('refuses a doc whose format is not a number', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('format', 'one');
    expect(() => readChatMemory(doc)).toThrowError(code('doc/invalid-field'));
  });

  it('needs a chat key and a character id', () => {
    expect(() => initChatMemory(new Y.Doc(), { chatKey: '', characterId: 'c' })).toThrowError(code('doc/invalid-field'));
  });
});
