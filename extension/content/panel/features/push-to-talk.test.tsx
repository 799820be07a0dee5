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

  it('takes only the person\'s own Alt+T', () => {
    expect(isTalkShortcut({ altKey: true, ctrlKey: false, metaKey: false, code: 'KeyT', isTrusted: true })).toBe(true);
    expect(isTalkShortcut({ altKey: true, ctrlKey: false, metaKey: false, code: 'KeyT', isTrusted: false })).toBe(false);
    expect(isTalkShortcut({ altKey: false, ctrlKey: false, metaKey: false, code: 'KeyT', isTrusted: true })).toBe(false);
  });
});
