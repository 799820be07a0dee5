import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitForNextChat } from './detect.ts';

const shell = '<div class="home_container__a1"><div class="home_window-content__c3" id="app-body"></div></div>';

describe('waitForNextChat', () => {
  afterEach(() => vi.useRealTimers());

  it('resolves once NextChat renders its shell, which it does after load', async () => {
    const doc = document.implementation.createHTMLDocument('nextchat');
    const found = waitForNextChat(doc, new AbortController().signal, 60_000);
    doc.body.innerHTML = '<div id="__next"></div>';
    doc.getElementById('__next')!.innerHTML = shell;
    await expect(found).resolves.toBe(true);
    await expect(waitForNextChat(doc, new AbortController().signal, 60_000)).resolves.toBe(true);
  });

  it('gives up after the timeout, or when its signal aborts: the page is something else', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const doc = document.implementation.createHTMLDocument('plain');
    const timedOut = waitForNextChat(doc, new AbortController().signal, 500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(timedOut).resolves.toBe(false);
    const stop = new AbortController();
    const stopped = waitForNextChat(doc, stop.signal, 500);
    stop.abort();
    await expect(stopped).resolves.toBe(false);
    // Too late: the shell showing now changes nothing.
    doc.body.innerHTML = shell;
    expect(vi.getTimerCount()).toBe(0);
  });
});
