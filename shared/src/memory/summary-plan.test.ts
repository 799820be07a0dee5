import { describe, expect, it } from 'vitest';
import { MAX_SUMMARY_LEVEL } from './limits.ts';
import {
  DEFAULT_SUMMARY_SETTINGS, memoryContext, planSummaries, summariesHash, summaryFromJob, summaryId, type SummaryJob, type SummarySettings,
} from './summary-plan.ts';
import { messagesHash } from './transcript.ts';
import type { CountedMessage, Summary } from './types.ts';

const message = (i: number, tokens = 60): CountedMessage => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', text: `message ${i}`, tokens });
const chat = (count: number, tokens = 60) => Array.from({ length: count }, (_, i) => message(i, tokens));

/** What a summariser returns for a job: deterministic, and different for different inputs. */
const summarise = (job: SummaryJob) => summaryFromJob(job, `summary of ${job.inputs.map((input) => input.text).join(' | ')}`, job.targetTokens, 'local', 1);

/** Runs the scheduler's loop (remove stale, run jobs, plan again) until nothing is left; returns the jobs run. */
function settle(messages: readonly CountedMessage[], store: Map<string, Summary>, settings: SummarySettings = DEFAULT_SUMMARY_SETTINGS): SummaryJob[] {
  const run: SummaryJob[] = [];
  for (let round = 0; ; round++) {
    expect(round).toBeLessThan(2 * MAX_SUMMARY_LEVEL + 4);
    const { stale, jobs } = planSummaries(messages, [...store.values()], settings);
    for (const { id } of stale) store.delete(id);
    if (jobs.length === 0) return run;
    for (const job of jobs) store.set(job.id, summarise(job));
    run.push(...jobs);
  }
}

/** The context's summaries stand for disjoint runs of messages, oldest first, from the chat's start without holes. */
function expectTiled(messages: readonly CountedMessage[], store: Map<string, Summary>): number {
  const context = memoryContext(messages, [...store.values()]);
  let next = 0;
  for (const part of context) {
    expect(part.from).toBe(messages[next]!.id);
    next += part.messages;
    expect(part.through).toBe(messages[next - 1]!.id);
  }
  return next;
}

const levelsOf = (jobs: readonly SummaryJob[]) => jobs.map((job) => job.level);

describe('planSummaries on a growing chat', () => {
  it('summarises nothing while the chat is within the recent messages and one chunk', () => {
    expect(planSummaries(chat(20), [])).toEqual({ stale: [], jobs: [] });
    // 45 messages: 25 are old enough, exactly one chunk, but it is not closed until a 26th is old enough.
    expect(planSummaries(chat(45), []).jobs).toEqual([]);
    const jobs = planSummaries(chat(46), []).jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'summarise', level: 0, inputTokens: 1500, targetTokens: DEFAULT_SUMMARY_SETTINGS.targetTokens });
    expect(jobs[0]!.covers).toEqual(chat(25).map((m) => m.id));
    expect(jobs[0]!.coverHash).toBe(messagesHash(chat(25)));
    expect(jobs[0]!.inputs[1]).toEqual({ id: 'm1', role: 'assistant', text: 'message 1', tokens: 60 });
    expect(jobs[0]!.id).toBe(summaryId(0, jobs[0]!.covers));
  });

  it('needs about 500/25 + merges requests for a 500-message chat of 60-token messages, and never redoes one as it grows', () => {
    const store = new Map<string, Summary>();
    const all = chat(500);
    const made = new Set<string>();
    let total = 0;
    for (let count = 2; count <= all.length; count += 2) {
      const messages = all.slice(0, count);
      const { stale } = planSummaries(messages, [...store.values()]);
      expect(stale).toEqual([]);
      for (const job of settle(messages, store)) {
        expect(made.has(job.id)).toBe(false);
        made.add(job.id);
        total++;
      }
    }
    const levels = [...store.values()].map((s) => s.level);
    expect(levels.filter((l) => l === 0)).toHaveLength(19);
    expect(levels.filter((l) => l === 1)).toHaveLength(4);
    expect(total).toBe(23);
    // 4.6 per 100 messages (SillyTavern's Summarize, every 10 messages: 10 per 100).
    expect((total / all.length) * 100).toBeCloseTo(4.6);
    // What describes the chat: 4 merged summaries, then 3 chunk summaries, 475 messages, then the 25 newest as they are.
    const context = memoryContext(all, [...store.values()]);
    expect(context.map((part) => part.summary.level)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(expectTiled(all, store)).toBe(475);
    expect(context.reduce((sum, part) => sum + part.summary.tokens, 0)).toBe(4 * 300 + 3 * 200);
  });

  it('keeps earlier chunks when a message is added (boundaries never shift)', () => {
    const store = new Map<string, Summary>();
    settle(chat(300), store);
    const before = [...store.keys()].sort();
    for (let count = 301; count <= 320; count++) {
      const plan = planSummaries(chat(count), [...store.values()]);
      expect(plan.stale).toEqual([]);
      for (const job of plan.jobs) expect(before).not.toContain(job.id);
    }
  });

  it('merges higher levels as the chat keeps growing', () => {
    const store = new Map<string, Summary>();
    const settings = { ...DEFAULT_SUMMARY_SETTINGS, chunkTokens: 120, keepRecent: 2, fanIn: 2 };
    const messages = chat(200);
    for (let count = 2; count <= messages.length; count += 2) settle(messages.slice(0, count), store, settings);
    const context = memoryContext(messages, [...store.values()]);
    const levels = context.map((part) => part.summary.level);
    expect(Math.max(...levels)).toBeGreaterThanOrEqual(5);
    // No more than fanIn unmerged summaries per level, highest levels first.
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    for (const level of new Set(levels)) expect(levels.filter((l) => l === level).length).toBeLessThanOrEqual(settings.fanIn);
    expectTiled(messages, store);
  });

  it('marks every level built over an edited message stale, and rebuilds the same shape', () => {
    const store = new Map<string, Summary>();
    const settings = { ...DEFAULT_SUMMARY_SETTINGS, chunkTokens: 120, keepRecent: 2, fanIn: 2 };
    const messages = chat(200);
    for (let count = 2; count <= messages.length; count += 2) settle(messages.slice(0, count), store, settings);
    const shape = memoryContext(messages, [...store.values()]).map((part) => [part.summary.level, part.messages]);
    const edited = messages.map((m) => (m.id === 'm0' ? { ...m, text: 'edited' } : m));
    const { stale } = planSummaries(edited, [...store.values()], settings);
    expect(stale.map((s) => s.reason)).toEqual(['changed', ...Array.from({ length: shape[0]![0]! }, () => 'built-on-stale')]);
    expect(settle(edited, store, settings)).toHaveLength(stale.length);
    expect(memoryContext(edited, [...store.values()]).map((part) => [part.summary.level, part.messages])).toEqual(shape);
  });

  it('leaves the newest keepRecent messages alone, and summarises a chat of one huge message per chunk', () => {
    const messages = chat(30, 5000);
    const jobs = planSummaries(messages, [], { ...DEFAULT_SUMMARY_SETTINGS, keepRecent: 10 }).jobs;
    expect(jobs.map((job) => job.covers)).toEqual(chat(19).map((m) => [m.id]));
  });
});

describe('planSummaries when the chat changes', () => {
  function settled(count = 500) {
    const messages = chat(count);
    const store = new Map<string, Summary>();
    for (let n = 2; n <= count; n += 2) settle(messages.slice(0, n), store);
    return { messages, store };
  }
  const covering = (store: Map<string, Summary>, id: string, level: number) => [...store.values()].find((s) => s.level === level && s.covers.includes(id));

  it('redoes only the chunk with an edited message, and the merge built on it', () => {
    const { messages, store } = settled();
    const chunk = covering(store, 'm30', 0)!;
    const merge = covering(store, chunk.id, 1)!;
    const edited = messages.map((m) => (m.id === 'm30' ? { ...m, text: 'The sword is called Dawnbreaker.' } : m));
    const plan = planSummaries(edited, [...store.values()]);
    expect(plan.stale).toEqual([{ id: chunk.id, reason: 'changed' }, { id: merge.id, reason: 'built-on-stale' }]);
    expect(plan.jobs.map((job) => job.id)).toEqual([chunk.id]);
    expect(plan.jobs[0]!.inputs.map((input) => input.text)).toContain('The sword is called Dawnbreaker.');
    const redone = settle(edited, store);
    // The same chunk (same covers, same id) and then the same merge over it, with the new text.
    expect(redone.map((job) => job.id)).toEqual([chunk.id, merge.id]);
    expect(store.get(merge.id)!.text).not.toBe(merge.text);
    expect(expectTiled(edited, store)).toBe(475);
  });

  it('redoes the chunk of a deleted message without it, keeping the chunks on either side', () => {
    const { messages, store } = settled();
    const chunk = covering(store, 'm60', 0)!;
    const others = [...store.values()].filter((s) => s.level === 0 && s.id !== chunk.id).map((s) => s.id);
    const remaining = messages.filter((m) => m.id !== 'm60');
    const plan = planSummaries(remaining, [...store.values()]);
    expect(plan.stale[0]).toEqual({ id: chunk.id, reason: 'missing' });
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]!.covers).toEqual(chunk.covers.filter((id) => id !== 'm60'));
    settle(remaining, store);
    for (const id of others) expect(store.has(id)).toBe(true);
    expect([...store.values()].some((s) => s.covers.includes('m60'))).toBe(false);
    expect(expectTiled(remaining, store)).toBe(474);
  });

  it('invalidates nothing when the last exchange is regenerated (Retry: new ids at the end)', () => {
    const { messages, store } = settled();
    const retried = [...messages.slice(0, -2), { ...messages[498]!, id: 'retry-u' }, { ...messages[499]!, id: 'retry-a', text: 'another reply' }];
    expect(planSummaries(retried, [...store.values()])).toEqual({ stale: [], jobs: [] });
  });

  it('redoes summaries over a message that moved (never done by NextChat)', () => {
    const { messages, store } = settled(120);
    const moved = [...messages.slice(0, 10), ...messages.slice(11), messages[10]!];
    const plan = planSummaries(moved, [...store.values()]);
    expect(plan.stale[0]).toMatchObject({ reason: 'order' });
    settle(moved, store);
    const context = memoryContext(moved, [...store.values()]);
    expect(context.flatMap((part) => (part.summary.level === 0 ? part.summary.covers : []))).not.toContain('m10');
  });

  it('waits to merge a run until the summary before it is redone, then merges the part again', () => {
    const { messages, store } = settled(500);
    // Deleting a message of the first chunk makes the first merge stale; the chunks after it must not be merged without it.
    const remaining = messages.filter((m) => m.id !== 'm3');
    const plan = planSummaries(remaining, [...store.values()]);
    expect(levelsOf(plan.jobs)).toEqual([0]);
    settle(remaining, store);
    expect(memoryContext(remaining, [...store.values()]).map((part) => part.summary.level)).toEqual([1, 1, 1, 1, 0, 0, 0]);
  });

  it('merges a part redone into more chunks whole, in even groups', () => {
    const { messages, store } = settled(500);
    // m30's chunk (m25-m49) is redone as two chunks because m30 became very long: five summaries under one merge.
    const grown = messages.map((m) => (m.id === 'm30' ? { ...m, tokens: 1400, text: 'long' } : m));
    settle(grown, store);
    const context = memoryContext(grown, [...store.values()]);
    // The merged part's 4 chunks became 6, merged as 3 + 3; that makes 5 level-1 summaries, more than fanIn, so the oldest 4 merge again.
    expect(context.map((part) => part.summary.level)).toEqual([2, 1, 0, 0, 0]);
    const [first, second] = context[0]!.summary.covers.map((id) => store.get(id)!);
    expect(first!.covers).toHaveLength(3);
    expect(second!.covers).toHaveLength(3);
    expect(expectTiled(grown, store)).toBe(475);
  });

  it('joins a short remainder of a redone part to the chunk before it', () => {
    const { messages, store } = settled(500);
    // m48 grows to 400 tokens: m25-m47 fill a chunk, and m48-m49 (460 tokens, under half a chunk) join it.
    const grown = messages.map((m) => (m.id === 'm48' ? { ...m, tokens: 400, text: 'longer' } : m));
    const plan = planSummaries(grown, [...store.values()]);
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]!.covers).toEqual(chat(50).slice(25).map((m) => m.id));
    expect(plan.jobs[0]!.inputTokens).toBe(24 * 60 + 400);
  });

  it('redoes a merge when the person edits a summary it was built from', () => {
    const { messages, store } = settled();
    const chunk = covering(store, 'm0', 0)!;
    const merge = covering(store, chunk.id, 1)!;
    store.set(chunk.id, { ...chunk, text: 'Corrected by hand.', source: 'user-edited' });
    const plan = planSummaries(messages, [...store.values()]);
    expect(plan.stale).toEqual([{ id: merge.id, reason: 'changed' }]);
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]).toMatchObject({ id: merge.id, level: 1 });
    expect(plan.jobs[0]!.inputs[0]!.text).toBe('Corrected by hand.');
    expect(plan.jobs[0]!.coverHash).toBe(summariesHash(plan.jobs[0]!.covers.map((id) => store.get(id)!)));
  });
});

describe('planSummaries with summaries from other devices', () => {
  const made = (level: number, covers: string[], coverHash: string, text = 'x'): Summary => ({ id: summaryId(level, covers), level, covers, coverHash, text, tokens: 10, source: 'model', at: 1 });
  const over = (messages: CountedMessage[], from: number, to: number) => made(0, messages.slice(from, to).map((m) => m.id), messagesHash(messages.slice(from, to)));

  it('keeps the earlier, longer of two overlapping summaries and marks the other stale', () => {
    const messages = chat(100);
    const a = over(messages, 0, 25);
    const b = over(messages, 10, 30);
    const c = over(messages, 0, 20);
    const plan = planSummaries(messages, [b, c, a]);
    expect(plan.stale.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([{ id: b.id, reason: 'overlap' }, { id: c.id, reason: 'overlap' }].sort((x, y) => (x.id < y.id ? -1 : 1)));
    expect(memoryContext(messages, [a, b, c]).map((part) => part.summary.id)).toEqual([a.id]);
  });

  it('marks malformed summaries invalid and those built on them stale', () => {
    const messages = chat(100);
    const good = over(messages, 0, 25);
    const tooHigh = made(MAX_SUMMARY_LEVEL + 1, [good.id], 'h');
    const empty = made(0, [], 'h');
    const wrongLevel = made(2, [good.id], summariesHash([good]));
    const onMissing = made(1, ['nope'], 'h');
    const plan = planSummaries(messages, [good, tooHigh, empty, wrongLevel, onMissing]);
    const reasons = Object.fromEntries(plan.stale.map((s) => [s.id, s.reason]));
    expect(reasons).toEqual({ [tooHigh.id]: 'invalid', [empty.id]: 'invalid', [wrongLevel.id]: 'invalid', [onMissing.id]: 'missing' });
  });

  it('rejects a merge whose summaries are not adjacent', () => {
    const messages = chat(100);
    const a = over(messages, 0, 25);
    const b = over(messages, 30, 55);
    const merge = made(1, [a.id, b.id], summariesHash([a, b]));
    expect(planSummaries(messages, [a, b, merge]).stale).toEqual([{ id: merge.id, reason: 'order' }]);
  });

  it('plans the same jobs with the same ids on every device', () => {
    const messages = chat(300);
    const first = planSummaries(messages, []);
    const second = planSummaries(messages.map((m) => ({ ...m })), []);
    expect(second).toEqual(first);
    expect(new Set(first.jobs.map((job) => job.id)).size).toBe(first.jobs.length);
  });
});

describe('memoryContext', () => {
  it('is empty for a chat without summaries, and leaves out stale ones', () => {
    const messages = chat(60);
    expect(memoryContext(messages, [])).toEqual([]);
    const store = new Map<string, Summary>();
    settle(messages, store);
    expect(memoryContext(messages, [...store.values()])).toHaveLength(1);
    const edited = messages.map((m, i) => (i === 3 ? { ...m, text: 'changed' } : m));
    expect(memoryContext(edited, [...store.values()])).toEqual([]);
  });

  it('gives each summary with the first and last message it stands for', () => {
    const messages = chat(60);
    const store = new Map<string, Summary>();
    settle(messages, store);
    const [part] = memoryContext(messages, [...store.values()]);
    expect(part).toMatchObject({ from: 'm0', through: 'm24', messages: 25 });
  });
});

describe('settings', () => {
  it('refuses settings that cannot plan', () => {
    const messages = chat(10);
    expect(() => planSummaries(messages, [], { ...DEFAULT_SUMMARY_SETTINGS, fanIn: 1 })).toThrow(RangeError);
    expect(() => planSummaries(messages, [], { ...DEFAULT_SUMMARY_SETTINGS, chunkTokens: 0 })).toThrow(RangeError);
    expect(() => planSummaries(messages, [], { ...DEFAULT_SUMMARY_SETTINGS, keepRecent: -1 })).toThrow(RangeError);
    expect(() => planSummaries(messages, [], { ...DEFAULT_SUMMARY_SETTINGS, targetTokens: Number.NaN })).toThrow(RangeError);
  });
});
