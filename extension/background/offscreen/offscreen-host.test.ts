import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createOffscreenHost, OFFSCREEN_JUSTIFICATION } from './offscreen-host.ts';
import { fakeOffscreen } from './test-support.ts';
import { OFFSCREEN_PROTOCOL_VERSION } from '../../messaging/protocols/offscreen-protocol.ts';

const request = { jobId: 'j1', messages: [{ id: 'm1', role: 'user' as const, name: 'Rowan', text: 'Hello.' }], targetTokens: 50, model: 'gpt-4o-mini', endpoint: null };

describe('offscreen host: creation', () => {
  it('creates the document on the first call, with reasons WORKERS, AUDIO_PLAYBACK and USER_MEDIA, and answers through it', async () => {
    const fake = fakeOffscreen();
    const host = createOffscreenHost(fake.deps);
    expect(host.state).toBe('closed');
    await expect(host.call('summary.run', request)).resolves.toMatchObject({ jobId: 'j1', source: 'local' });
    expect(fake.offscreen.createDocument).toHaveBeenCalledWith({ url: 'chrome-extension://abc/offscreen.html', reasons: ['WORKERS', 'AUDIO_PLAYBACK', 'USER_MEDIA'], justification: OFFSCREEN_JUSTIFICATION });
    expect(host.state).toBe('open');
  });

  it('shares one creation among concurrent callers', async () => {
    const fake = fakeOffscreen();
    const host = createOffscreenHost(fake.deps);
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((jobId) => host.call('summary.run', { ...request, jobId })));
    expect(answers.map((a) => a.jobId)).toEqual(['a', 'b', 'c', 'd']);
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(1);
  });

  it('adopts a document that already exists (the service worker restarted) instead of creating one', async () => {
    const fake = fakeOffscreen();
    fake.world.doc = { listening: true };
    const host = createOffscreenHost(fake.deps);
    await host.call('offscreen.ping', {});
    expect(fake.offscreen.createDocument).not.toHaveBeenCalled();
  });

  it('tolerates "already exists" when it cannot ask whether a document exists', async () => {
    const fake = fakeOffscreen({}, { withHasDocument: false });
    fake.world.doc = { listening: true };
    const host = createOffscreenHost(fake.deps);
    await expect(host.call('offscreen.ping', {})).resolves.toEqual({ version: OFFSCREEN_PROTOCOL_VERSION });
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(1);
  });

  it('waits for a new document to start listening before sending', async () => {
    const fake = fakeOffscreen({}, { startsListening: false });
    const pings: unknown[] = [];
    const host = createOffscreenHost({ ...fake.deps, sendMessage: (envelope) => { pings.push(envelope); return fake.deps.sendMessage(envelope); } });
    const answer = host.call('summary.run', request);
    // Several pings go unanswered before the document listens; the job is sent only after.
    await vi.waitFor(() => expect(pings.length).toBeGreaterThanOrEqual(3));
    fake.world.doc!.listening = true;
    await expect(answer).resolves.toMatchObject({ jobId: 'j1' });
  });

  it('fails clearly when the document never starts, and when Chrome refuses to create it', async () => {
    const silent = fakeOffscreen({}, { startsListening: false });
    await expect(createOffscreenHost(silent.deps).call('offscreen.ping', {})).rejects.toMatchObject({ code: 'offscreen/not-ready' });
    const refused = fakeOffscreen();
    refused.offscreen.createDocument.mockRejectedValueOnce(new Error('Permission "offscreen" is missing.'));
    const host = createOffscreenHost(refused.deps);
    await expect(host.call('offscreen.ping', {})).rejects.toMatchObject({ code: 'offscreen/unavailable', message: expect.stringContaining('Permission "offscreen" is missing.') });
    // The failure is not remembered: the next call tries again.
    await expect(createOffscreenHost({ ...refused.deps, offscreen: undefined as never }).call('offscreen.ping', {})).rejects.toMatchObject({ code: 'offscreen/unavailable', message: expect.stringContaining('chrome.offscreen is missing') });
    await expect(host.call('offscreen.ping', {})).resolves.toEqual({ version: OFFSCREEN_PROTOCOL_VERSION });
  });
});

describe('offscreen host: idle close and recreation', () => {
  it('closes the document after the idle delay, not while a call runs, and makes it again for the next call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => { vi.useRealTimers(); });
    const noRelease = () => {};
    let release = noRelease;
    const fake = fakeOffscreen({
      'summary.run': (r) => new Promise((resolve) => {
        release = () => resolve({ jobId: r.jobId, text: '', tokens: 0, source: 'local', messageIds: ['m1'] });
      }),
    });
    const host = createOffscreenHost(fake.deps);
    await host.call('offscreen.ping', {});
    const long = host.call('summary.run', request);
    // Well past the idle delay (fake time), but a call is running.
    await vi.waitFor(() => expect(release).not.toBe(noRelease));
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.offscreen.closeDocument).not.toHaveBeenCalled();
    release();
    await long;
    await vi.waitFor(() => expect(fake.offscreen.closeDocument).toHaveBeenCalledTimes(1));
    expect(host.state).toBe('closed');
    expect(fake.world.doc).toBeNull();
    await host.call('offscreen.ping', {});
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(2);
  });

  it('a call made while the document closes waits for the close, then makes a new one', async () => {
    const fake = fakeOffscreen();
    const host = createOffscreenHost(fake.deps);
    await host.ensure();
    const closing = host.close();
    const answer = host.call('offscreen.ping', {});
    await closing;
    await expect(answer).resolves.toEqual({ version: OFFSCREEN_PROTOCOL_VERSION });
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(2);
  });

  it('makes the document again when it died, and the call still gets its answer', async () => {
    const fake = fakeOffscreen();
    const host = createOffscreenHost(fake.deps);
    await host.call('offscreen.ping', {});
    fake.world.doc = null; // crashed, or closed behind the host's back
    await expect(host.call('summary.run', request)).resolves.toMatchObject({ jobId: 'j1' });
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(2);
  });

  it('replaces a document that exists but no longer answers', async () => {
    const fake = fakeOffscreen();
    const host = createOffscreenHost(fake.deps);
    await host.call('offscreen.ping', {});
    fake.world.doc!.listening = false;
    await expect(host.call('offscreen.ping', {})).resolves.toEqual({ version: OFFSCREEN_PROTOCOL_VERSION });
    expect(fake.offscreen.closeDocument).toHaveBeenCalledTimes(1);
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(2);
  });
});

describe('offscreen host: audio keeps the document', () => {
  it('adopts a document left by a restarted service worker, and never creates one, for a stop', async () => {
    const fake = fakeOffscreen();
    expect(await createOffscreenHost(fake.deps).adopt()).toBe(false);
    expect(fake.offscreen.createDocument).not.toHaveBeenCalled();
    fake.world.doc = { listening: true };
    const host = createOffscreenHost(fake.deps);
    expect(await host.adopt()).toBe(true);
    expect(host.state).toBe('open');
    expect(fake.offscreen.createDocument).not.toHaveBeenCalled();
  });

  it('does not close the document while it says audio plays, and closes it once it is quiet', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => { vi.useRealTimers(); });
    let playing = true;
    const fake = fakeOffscreen({ 'offscreen.ping': async () => ({ version: OFFSCREEN_PROTOCOL_VERSION, busy: playing }) });
    const host = createOffscreenHost(fake.deps);
    await host.call('offscreen.ping', {});
    // Several idle delays (40 ms each, fake time) pass while it plays.
    await vi.advanceTimersByTimeAsync(150);
    expect(fake.offscreen.closeDocument).not.toHaveBeenCalled();
    playing = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.offscreen.closeDocument).toHaveBeenCalledTimes(1);
  });

  it('a passive question neither puts off the idle close nor makes a document', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => { vi.useRealTimers(); });
    const fake = fakeOffscreen();
    const host = createOffscreenHost(fake.deps);
    await host.call('offscreen.ping', {});
    // Asked every 15 ms (fake time) after the last work: the document still closes 40 ms after that work.
    for (let i = 0; i < 3; i++) {
      await host.call('voice.state', {}, { passive: true });
      await vi.advanceTimersByTimeAsync(15);
    }
    expect(fake.offscreen.closeDocument).toHaveBeenCalledTimes(1);
    await expect(host.call('voice.state', {}, { passive: true })).rejects.toMatchObject({ code: 'offscreen/gone' });
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(1);
  });

  it('replaces a document of an older build (another protocol version) instead of adopting it', async () => {
    const fake = fakeOffscreen();
    fake.world.doc = { listening: true };
    const old = fakeOffscreen({ 'offscreen.ping': async () => ({ version: 1 }) as never });
    let first = true;
    const host = createOffscreenHost({ ...fake.deps, sendMessage: (envelope) => (first ? (first = false, old.deps.sendMessage(envelope).catch(() => undefined).then(() => ({ ok: false, error: { code: 'message/version', message: 'version 1' } }))) : fake.deps.sendMessage(envelope)) });
    await host.call('offscreen.ping', {});
    expect(fake.offscreen.closeDocument).toHaveBeenCalledTimes(1);
    expect(fake.offscreen.createDocument).toHaveBeenCalledTimes(1);
  });
});

describe('offscreen host: answers', () => {
  it("passes the document's typed error on", async () => {
    const fake = fakeOffscreen({ 'summary.run': async () => { throw Object.assign(new Error('The summary worker stopped.'), { code: 'summary/worker-failed' }); } });
    await expect(createOffscreenHost(fake.deps).call('summary.run', request)).rejects.toMatchObject({ name: 'OffscreenError', code: 'summary/worker-failed', message: 'The summary worker stopped.' });
  });

  it('refuses an answer that is not valid for the request', async () => {
    const fake = fakeOffscreen({ 'summary.run': async () => ({ jobId: 'j1', text: 'x', tokens: -3, source: 'local', messageIds: [] }) });
    await expect(createOffscreenHost(fake.deps).call('summary.run', request)).rejects.toMatchObject({ code: 'offscreen/bad-answer', message: expect.stringContaining('tokens must be between') });
  });

  it('gives up after the timeout', async () => {
    const fake = fakeOffscreen({ 'summary.run': () => new Promise(() => {}) });
    await expect(createOffscreenHost(fake.deps).call('summary.run', request, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'offscreen/timeout' });
  });
});
