import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTalkShortcut, pushToTalk } from './push-to-talk.tsx';
import { button, fakeBackground, MIRA, mountFeature, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => { mounted?.unmount(); document.querySelector('#chat-input')?.remove(); });

describe('push-to-talk', () => {
  it('types what was said into NextChat\'s input while held with Space, and says so', async () => {
    document.body.insertAdjacentHTML('beforeend', '<textarea id="chat-input"></textarea>');
    const background = fakeBackground();
    background.answer('voice.listen.start', () => ({ ok: true }));
    background.answer('voice.listen.stop', () => ({ ok: true, text: 'Hello Mira.', autoSend: false }));
    mounted = mountFeature(pushToTalk, { background, character: MIRA });
    await vi.waitFor(() => expect(button(mounted!.section(), 'Hold to talk')).toBeTruthy());
    const talk = button(mounted.section(), 'Hold to talk');
    talk.dispatchEvent(new KeyboardEvent('keydown', { code: 'Space', bubbles: true }));
    await vi.waitFor(() => expect(mounted!.section().textContent).toContain('Recording.'));
    talk.dispatchEvent(new KeyboardEvent('keyup', { code: 'Space', bubbles: true }));
    await vi.waitFor(() => expect(mounted!.section().textContent).toContain('for you to review: “Hello Mira.”'));
    expect(document.querySelector<HTMLTextAreaElement>('#chat-input')!.value).toBe('Hello Mira.');
  });

  it('hands-free: says what it is doing, and a clip that failed can be sent again with Retry', async () => {
    document.body.insertAdjacentHTML('beforeend', '<textarea id="chat-input"></textarea>');
    const background = fakeBackground();
    const measures = { speechEndToRequestMs: null, endpointingMs: null, onsetToStopMs: null };
    let polls = 0;
    background.answer('voice.microphone', () => ({ state: 'granted' }));
    background.answer('voice.handsFree.start', () => ({ ok: true }));
    // The first poll has news; later ones wait, as the document holds a poll with nothing new.
    background.answer('voice.handsFree.poll', () => (polls++ === 0
      ? { session: 's1', phase: 'listening', events: [{ n: 1, kind: 'error', code: 'unauthorized', message: 'The endpoint refused the API key (401).', canRetry: true }], measures }
      : new Promise(() => {})));
    background.answer('voice.listen.retry', () => ({ ok: true, text: 'Hello again.', autoSend: false }));
    background.answer('voice.handsFree.stop', () => null);
    mounted = mountFeature(pushToTalk, { background, character: MIRA });
    await vi.waitFor(() => expect(mounted!.section().querySelector('input[type="checkbox"]')).toBeTruthy());
    mounted.section().querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await vi.waitFor(() => expect(mounted!.section().textContent).toContain('Listening: just speak.'));
    expect(mounted.section().textContent).toContain('The endpoint refused the API key (401).');
    button(mounted.section(), 'Retry').click();
    await vi.waitFor(() => expect(document.querySelector<HTMLTextAreaElement>('#chat-input')!.value).toBe('Hello again.'));
  });

  it('takes only the person\'s own Alt+T', () => {
    expect(isTalkShortcut({ altKey: true, ctrlKey: false, metaKey: false, code: 'KeyT', isTrusted: true })).toBe(true);
    expect(isTalkShortcut({ altKey: true, ctrlKey: false, metaKey: false, code: 'KeyT', isTrusted: false })).toBe(false);
    expect(isTalkShortcut({ altKey: false, ctrlKey: false, metaKey: false, code: 'KeyT', isTrusted: true })).toBe(false);
  });
});
