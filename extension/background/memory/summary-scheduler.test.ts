// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SummaryEndpoint, SummaryRequest } from '../../messaging/protocols/offscreen-protocol.ts';
import { MAX_SUMMARY_JOBS_PER_RUN, SUMMARY_DELAY_MS, SUMMARY_RETRY_MS } from '../../messaging/limits/memory.ts';
import { testDbs } from '../db/test-db.ts';
import { dropSummaries, readMemory, storeSummary, syncTranscript } from './memory-store.ts';
import { summaryScheduler, type SchedulerDeps } from './summary-scheduler.ts';
import { LOCAL_WRITER, type SummaryOutcome, type SummaryWriter } from './summary-writer.ts';

const dbs = testDbs('summaries');
const CHAT = 'o#s1';

/** A chat of `n` messages of ~60 words each, message 7 holding a fact. */
function chat(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant',
    text: i === 7 ? 'Aldric promised to return the silver compass by the winter solstice.' : `Message ${i}: ${'we walked along the grey shore and talked about the weather '.repeat(6)}`,
  }));
}

async function setup(messages = chat(200), over: Partial<SchedulerDeps> = {}) {
  const db = dbs();
  await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
  await syncTranscript(db, CHAT, messages);
  const requests: SummaryRequest[] = [];
  const errors: unknown[] = [];
  const scheduler = summaryScheduler({
    readMemory: (chatKey) => readMemory(db, chatKey),
    countTokens: async (_chatKey, texts) => ({ model: 'gpt-4o-mini', counts: texts.map((t) => t.split(/\s+/).length) }),
    names: async () => ({ user: 'Ann', character: 'Mira' }),
    summarise: async (request) => {
      requests.push(request);
      const text = request.messages.map((m) => `${m.name ? `${m.name}: ` : ''}${m.text.slice(0, 40)}`).join(' ').slice(0, 300);
      return { jobId: request.jobId, text, tokens: text.split(/\s+/).length, source: 'local', messageIds: request.messages.map((m) => m.id) };
    },
    removeSummaries: (chatKey, ids) => dropSummaries(db, chatKey, ids),
    putSummary: (chatKey, summary) => storeSummary(db, chatKey, summary),
    now: () => 1_000,
    report: (error) => errors.push(error),
    ...over,
  });
  return { db, scheduler, requests, errors };
}

describe('summaryScheduler', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }); });
  afterEach(() => { vi.useRealTimers(); });

  it('summarises a chat\'s older messages through the summariser, naming who spoke, and stores each summary', async () => {
    const { db, scheduler, requests } = await setup();
    const made = await scheduler.runNow(CHAT);
    expect(made).toBeGreaterThan(0);
    expect(requests[0]!.messages[0]).toMatchObject({ id: 'm0', role: 'user', name: 'Ann' });
    expect(requests[0]!.messages[1]).toMatchObject({ id: 'm1', role: 'assistant', name: 'Mira' });
    expect(requests[0]).toMatchObject({ model: 'gpt-4o-mini', targetTokens: expect.any(Number) });
    const { summaries } = await readMemory(db, CHAT);
    expect(summaries).toHaveLength(made);
    expect(summaries.every((s) => s.source === 'local' && s.at === 1_000)).toBe(true);
    // Planned again, nothing is left to do: summaries stay valid as long as their messages do.
    expect(await scheduler.runNow(CHAT)).toBe(0);
  });

  it('drops a summary whose message was edited in NextChat, and makes it again', async () => {
    const messages = chat(200);
    const { db, scheduler, requests } = await setup(messages);
    await scheduler.runNow(CHAT);
    const before = (await readMemory(db, CHAT)).summaries.find((s) => s.level === 0 && s.covers.includes('m7'))!;
    requests.length = 0;
    await syncTranscript(db, CHAT, messages.map((m) => (m.id === 'm7' ? { ...m, text: 'Aldric promised to return the brass compass.' } : m)));
    await scheduler.runNow(CHAT);
    const after = (await readMemory(db, CHAT)).summaries.find((s) => s.level === 0 && s.covers.includes('m7'))!;
    expect(after.coverHash).not.toBe(before.coverHash);
    // Only the part holding the edit (and what was merged from it) is made again, from the edited text.
    expect(requests[0]!.messages.find((m) => m.id === 'm7')!.text).toContain('brass');
    expect(requests.length).toBeLessThan(5);
  });

  it('runs a while after the last change, once for a burst, and retries a failed run later', async () => {
    let fail = true;
    const { scheduler, requests, errors } = await setup(chat(200), {});
    const failing = await setup(chat(200), { summarise: async () => { if (fail) throw new Error('worker gone'); throw new Error('unreachable'); } });
    scheduler.schedule(CHAT);
    scheduler.schedule(CHAT);
    await vi.advanceTimersByTimeAsync(SUMMARY_DELAY_MS - 1);
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(requests.length).toBeGreaterThan(0));
    expect(errors).toEqual([]);

    failing.scheduler.schedule(CHAT);
    await vi.advanceTimersByTimeAsync(SUMMARY_DELAY_MS);
    await vi.waitFor(() => expect(failing.errors).toHaveLength(1));
    fail = false;
    await vi.advanceTimersByTimeAsync(SUMMARY_RETRY_MS);
    await vi.waitFor(() => expect(failing.errors).toHaveLength(2));
    scheduler.dispose();
    failing.scheduler.dispose();
  });

  it('asks the writer chosen for the chat for every job, read afresh each time; none: local', async () => {
    let endpoint: SummaryEndpoint | null = { url: 'https://llm.example/v1', model: 'summary-mini', apiKey: 'sk-test-1234' };
    const asked: string[] = [];
    const writer = async (chatKey: string): Promise<SummaryWriter> => { asked.push(chatKey); return endpoint ? { by: 'summary-model', endpoint, reason: null } : LOCAL_WRITER; };
    const { scheduler, requests } = await setup(chat(200), { writer });
    await scheduler.runNow(CHAT);
    expect(requests.length).toBeGreaterThan(1);
    expect(asked).toEqual(requests.map(() => CHAT));
    expect(requests.every((r) => r.endpoint?.apiKey === 'sk-test-1234' && r.endpoint.model === 'summary-mini')).toBe(true);

    // Without the dep (or with nothing to ask) each job is local.
    const local = await setup(chat(200));
    await local.scheduler.runNow(CHAT);
    expect(local.requests.every((r) => r.endpoint === null)).toBe(true);
    endpoint = null;
    const cleared = await setup(chat(200), { writer });
    await cleared.scheduler.runNow(CHAT);
    expect(cleared.requests.length).toBeGreaterThan(0);
    expect(cleared.requests.every((r) => r.endpoint === null)).toBe(true);
  });

  it('keeps how each job went (who was asked, who wrote it, why not the model) before storing its summary', async () => {
    const chatModel: SummaryWriter = { by: 'chat-model', endpoint: { url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', apiKey: 'nk-code' }, reason: null };
    const outcomes: SummaryOutcome[] = [];
    let stored = 0;
    const { db, scheduler } = await setup(chat(200), {
      writer: async () => chatModel,
      summarise: async (request) => ({ jobId: request.jobId, text: 'They walked.', tokens: 2, source: 'local', messageIds: request.messages.map((m) => m.id), modelError: 'The model answered 401: bad code' }),
      outcome: async (_chatKey, outcome) => { expect(stored).toBe(outcomes.length); outcomes.push(outcome); },
      putSummary: async (chatKey, summary) => { stored += 1; await storeSummary(db, chatKey, summary); },
    });
    const made = await scheduler.runNow(CHAT);
    expect(outcomes).toHaveLength(made);
    expect(outcomes[0]).toEqual({ by: 'chat-model', source: 'local', reason: 'The model answered 401: bad code', at: 1_000 });
  });

  it('still stores the summary when its outcome cannot be kept', async () => {
    const { db, scheduler, errors } = await setup(chat(200), { outcome: async () => { throw new Error('session storage full'); } });
    const made = await scheduler.runNow(CHAT);
    expect(made).toBeGreaterThan(0);
    expect((await readMemory(db, CHAT)).summaries).toHaveLength(made);
    expect(errors).toHaveLength(made);
  });

  it('makes at most MAX_SUMMARY_JOBS_PER_RUN summaries per run, then goes on in a later one', async () => {
    const { scheduler, requests } = await setup(chat(2_000));
    expect(await scheduler.runNow(CHAT)).toBe(MAX_SUMMARY_JOBS_PER_RUN);
    await vi.advanceTimersByTimeAsync(SUMMARY_DELAY_MS);
    await vi.waitFor(() => expect(requests.length).toBeGreaterThan(MAX_SUMMARY_JOBS_PER_RUN));
    scheduler.dispose();
  });
});
