import { describe, expect, it } from 'vitest';
import { tokenizerFor } from '@troupe/shared/tokens';
import { runSummaryJob } from '../../offscreen/summary-job.ts';
import { PLANTED_FACT, roleplayChat } from '../../offscreen/test-support.ts';
import { createOffscreenHost } from './offscreen-host.ts';
import { createSummariser, type SummaryRequest } from './summariser.ts';
import { fakeOffscreen } from './test-support.ts';

const request: SummaryRequest = { jobId: 'job-7', messages: roleplayChat(20), targetTokens: 120, model: 'gpt-4o-mini', endpoint: null };
const noFetch = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;

describe('createSummariser', () => {
  it("summarises through the offscreen document with the worker's own job runner", async () => {
    const fake = fakeOffscreen({ 'summary.run': (r) => runSummaryJob(r, { tokenizerFor, fetch: noFetch }) });
    const result = await createSummariser(createOffscreenHost(fake.deps)).summarise(request);
    expect(result).toMatchObject({ jobId: 'job-7', source: 'local', messageIds: request.messages.map((m) => m.id) });
    expect(result.text).toContain(PLANTED_FACT);
    expect(result.tokens).toBeLessThanOrEqual(120);
  });

  it('refuses an invalid request before creating anything', async () => {
    const fake = fakeOffscreen();
    const summariser = createSummariser(createOffscreenHost(fake.deps));
    await expect(summariser.summarise({ ...request, targetTokens: 0 })).rejects.toMatchObject({ name: 'SummaryError', code: 'summary/invalid-request', message: expect.stringContaining('targetTokens') });
    await expect(summariser.summarise({ ...request, endpoint: { url: 'ftp://x', model: 'm' } })).rejects.toMatchObject({ code: 'summary/invalid-request' });
    expect(fake.offscreen.createDocument).not.toHaveBeenCalled();
  });

  it.each([
    ['an answer for another job', { jobId: 'other' }, 'for job "other"'],
    ['an answer covering other messages', { messageIds: ['m1'] }, 'other messages'],
    ['an answer over the budget', { tokens: 121 }, 'over the 120 asked'],
  ])('refuses %s', async (_name, change, reason) => {
    const fake = fakeOffscreen({ 'summary.run': async (r) => ({ jobId: r.jobId, text: 'x', tokens: 1, source: 'local', messageIds: r.messages.map((m) => m.id), ...change }) });
    await expect(createSummariser(createOffscreenHost(fake.deps)).summarise(request)).rejects.toMatchObject({ code: 'summary/bad-answer', message: expect.stringContaining(reason) });
  });

  it('says when the job took too long, when the document cannot start, and when the worker failed', async () => {
    const slow = fakeOffscreen({ 'summary.run': () => new Promise(() => {}) });
    await expect(createSummariser(createOffscreenHost(slow.deps), { timeoutMs: 50 }).summarise(request)).rejects.toMatchObject({ code: 'summary/timeout' });

    const refused = fakeOffscreen();
    refused.offscreen.createDocument.mockRejectedValue(new Error('Permission "offscreen" is missing.'));
    await expect(createSummariser(createOffscreenHost(refused.deps)).summarise(request)).rejects.toMatchObject({ code: 'summary/offscreen-unavailable', message: expect.stringContaining('Permission "offscreen"') });

    const broken = fakeOffscreen({ 'summary.run': async () => { throw Object.assign(new Error('The summary worker stopped: it could not start.'), { code: 'summary/worker-failed' }); } });
    await expect(createSummariser(createOffscreenHost(broken.deps)).summarise(request)).rejects.toMatchObject({ code: 'summary/failed', message: 'The summary failed: The summary worker stopped: it could not start.' });
  });
});
