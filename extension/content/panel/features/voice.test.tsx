import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VoiceSettings } from '@troupe/shared/voice';
import { IDLE_PLAYBACK, type VoiceChatView } from '../../../messaging/protocols/voice-protocol.ts';
import { isPanelEscape, voice } from './voice.tsx';
import { button, fakeBackground, field, MIRA, mountFeature, typeInto, type FakeBackground, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

/** The background's voice answers, kept as the real one keeps them. */
function keepVoice(background: FakeBackground, start: Partial<VoiceChatView> = {}) {
  let view: VoiceChatView = { chatKey: 'o#1', character: { id: 'mira', name: 'Mira' }, voice: null, problem: null, readAloud: false, ready: { 'openai-compatible': true, elevenlabs: false, browser: true }, playback: IDLE_PLAYBACK, ...start };
  background.answer('voice.get', () => view);
  background.answer('voice.character.set', ({ voice: next }) => (view = { ...view, voice: next }));
  background.answer('voice.readAloud.set', ({ on }) => (view = { ...view, readAloud: on }));
  background.answer('voice.stop', () => null);
  background.answer('voice.state', () => ({ ...IDLE_PLAYBACK, error: 'Speech failed: the endpoint refused the API key (401).' }));
  return () => view;
}

describe('voice', () => {
  it('saves the character\'s voice with its reading options (code always skipped) into its card', async () => {
    const background = fakeBackground();
    const view = keepVoice(background);
    mounted = mountFeature(voice, { background, character: MIRA });
    await vi.waitFor(() => expect(field(mounted!.section(), 'Voice name')).toBeTruthy());
    expect(button(mounted.section(), 'Save voice').disabled).toBe(true); // no voice name yet
    typeInto(field(mounted.section(), 'Voice name'), 'af_bella');
    typeInto(field(mounted.section(), 'Speed'), '1.25');
    field(mounted.section(), 'Skip *actions*').click();
    await vi.waitFor(() => expect(button(mounted!.section(), 'Save voice').disabled).toBe(false));
    button(mounted.section(), 'Save voice').click();
    await vi.waitFor(() => expect(mounted!.section().querySelector('[role="status"]')?.textContent).toBe("Saved in Mira's card."));
    const saved: VoiceSettings = { provider: 'openai-compatible', voice: 'af_bella', speed: 1.25, reading: { dialogueOnly: false, narrator: false, skipCode: true, skipActions: true } };
    expect(background.callsOf('voice.character.set')).toEqual([{ chatKey: 'o#1', voice: saved }]);
    expect(view().voice).toEqual(saved);
  });

  it('saves a narrator voice (the character\'s provider) when narration is read aloud', async () => {
    const background = fakeBackground();
    const view = keepVoice(background);
    mounted = mountFeature(voice, { background, character: MIRA });
    await vi.waitFor(() => expect(field(mounted!.section(), 'Voice name')).toBeTruthy());
    typeInto(field(mounted.section(), 'Voice name'), 'af_bella');
    expect(mounted.section().textContent).not.toContain('Narrator voice name');
    field(mounted.section(), 'Narrator voice for the rest').click();
    await vi.waitFor(() => expect(mounted!.section().textContent).toContain("narration is read in Mira's voice"));
    typeInto(field(mounted.section(), 'Narrator voice name'), 'bm_george');
    typeInto(field(mounted.section(), 'Narrator speed'), '0.9');
    await vi.waitFor(() => expect(button(mounted!.section(), 'Save voice').disabled).toBe(false));
    button(mounted.section(), 'Save voice').click();
    await vi.waitFor(() => expect(view().voice?.narratorVoice).toEqual({ provider: 'openai-compatible', voice: 'bm_george', speed: 0.9 }));
    expect(view().voice?.reading?.narrator).toBe(true);
  });

  it('refuses a speed outside 0.25-4 in words', async () => {
    const background = fakeBackground();
    keepVoice(background);
    mounted = mountFeature(voice, { background, character: MIRA });
    await vi.waitFor(() => expect(field(mounted!.section(), 'Voice name')).toBeTruthy());
    typeInto(field(mounted.section(), 'Voice name'), 'alloy');
    typeInto(field(mounted.section(), 'Speed'), '9');
    await vi.waitFor(() => expect(mounted!.section().textContent).toContain('The speed should be a number from 0.25 to 4'));
    expect(button(mounted.section(), 'Save voice').disabled).toBe(true);
  });

  it('turns read-aloud on for this chat, stops with the button, and shows the player\'s error', async () => {
    const background = fakeBackground();
    keepVoice(background, { voice: { provider: 'openai-compatible', voice: 'alloy', speed: 1, reading: { dialogueOnly: false, narrator: false, skipCode: true, skipActions: false } } });
    mounted = mountFeature(voice, { background, character: MIRA });
    await vi.waitFor(() => expect(field(mounted!.section(), 'Read replies aloud in this chat')).toBeTruthy());
    field(mounted.section(), 'Read replies aloud in this chat').click();
    await vi.waitFor(() => expect(background.callsOf('voice.readAloud.set')).toEqual([{ chatKey: 'o#1', on: true }]));
    button(mounted.section(), 'Stop speaking').click();
    await vi.waitFor(() => expect(background.callsOf('voice.stop')).toHaveLength(1));
    await vi.waitFor(() => expect(mounted!.section().querySelector('[role="alert"]')?.textContent).toBe('Speech failed: the endpoint refused the API key (401).'));
  });
});

describe('Escape in the panel', () => {
  it('stops speaking only for the person\'s own Escape with focus in the panel (its host element outside the shadow root)', () => {
    const panel = document.createElement('troupe-panel');
    const elsewhere = document.createElement('textarea');
    expect(isPanelEscape({ key: 'Escape', isTrusted: true, target: panel })).toBe(true);
    expect(isPanelEscape({ key: 'Escape', isTrusted: false, target: panel })).toBe(false);
    expect(isPanelEscape({ key: 'Escape', isTrusted: true, target: elsewhere })).toBe(false);
    expect(isPanelEscape({ key: 'Enter', isTrusted: true, target: panel })).toBe(false);
  });
});
