/**
 * The open chat's voice (issue #12): how its character sounds (provider, voice, speed, model; which
 * parts of a reply are read), saved in the character's card so it syncs and exports with it; whether
 * this chat's replies are read aloud (per chat, off by default); Stop speaking (also Escape while the
 * panel has focus, section open or not); and what went wrong, in words.
 */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_READING_OPTIONS, MAX_VOICE_SPEED, MIN_VOICE_SPEED, VOICE_PROVIDERS, voiceSettingsErrors, type ReadingOptions, type VoiceProvider, type VoiceSettings } from '@troupe/shared/voice';
import type { VoiceChatView } from '../../../messaging/protocols/voice-protocol.ts';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { PANEL_ELEMENT_NAME } from '../panel-element.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

/** How often the section asks how playback goes while the chat reads aloud (only while the panel shows it). */
export const VOICE_STATE_POLL_MS = 1_000;

const PROVIDER_LABELS: Record<VoiceProvider, string> = {
  'openai-compatible': 'OpenAI-compatible endpoint',
  elevenlabs: 'ElevenLabs',
  browser: 'Browser voices',
};

/** Where each provider's device setting is missing, in words. */
const NOT_READY: Record<VoiceProvider, string> = {
  'openai-compatible': 'No speech endpoint is set on this device: add one in Troupe\'s options → Voice.',
  elevenlabs: 'No ElevenLabs key is set on this device: add one in Troupe\'s options → Voice.',
  browser: '',
};

function Voice({ data: view, scope, set }: FeatureProps<VoiceChatView, 'character'>) {
  const saved = view.voice;
  const [provider, setProvider] = useState<VoiceProvider>(saved?.provider ?? 'openai-compatible');
  const [voice, setVoice] = useState(saved?.voice ?? '');
  const [speed, setSpeed] = useState(String(saved?.speed ?? 1));
  const [model, setModel] = useState(saved?.model ?? '');
  const [reading, setReading] = useState<ReadingOptions>({ ...(saved?.reading ?? DEFAULT_READING_OPTIONS), skipCode: true });
  const [narratorName, setNarratorName] = useState(saved?.narratorVoice?.voice ?? '');
  const [narratorSpeed, setNarratorSpeed] = useState(String(saved?.narratorVoice?.speed ?? 1));
  const [playback, setPlayback] = useState(view.playback);
  const saving = useAction();

  // The narrator speaks with the character's provider and model; without a name, narration uses the character's voice.
  const narratorVoice = reading.narrator && narratorName.trim()
    ? { narratorVoice: { provider, voice: narratorName.trim(), speed: Number(narratorSpeed), ...(model.trim() ? { model: model.trim() } : {}) } }
    : {};
  const settings: VoiceSettings = { provider, voice: voice.trim(), speed: Number(speed), ...(model.trim() ? { model: model.trim() } : {}), reading, ...narratorVoice };
  const problems = voiceSettingsErrors(settings);

  const stop = () => {
    void scope.call('voice.stop', {}).then(() => scope.call('voice.state', {})).then(setPlayback, () => {});
  };

  // While the chat reads aloud, what the player does (speaking, its last failure) is asked for now and then.
  useEffect(() => {
    if (!view.readAloud) return;
    const timer = setInterval(() => { scope.call('voice.state', {}).then(setPlayback, () => {}); }, VOICE_STATE_POLL_MS);
    return () => clearInterval(timer);
  }, [view.readAloud]);

  const save = (event: Event) => {
    event.preventDefault();
    if (problems.length > 0) return;
    void saving.run(async () => {
      set(await scope.call('voice.character.set', { chatKey: scope.chatKey, voice: settings }));
      return `Saved in ${view.character?.name ?? 'the character'}'s card.`;
    });
  };
  const remove = () => void saving.run(async () => {
    set(await scope.call('voice.character.set', { chatKey: scope.chatKey, voice: null }));
    return 'The voice was removed from the card.';
  });
  const readAloud = (on: boolean) => void saving.run(async () => {
    set(await scope.call('voice.readAloud.set', { chatKey: scope.chatKey, on }));
    return null;
  });
  const option = (key: keyof ReadingOptions, label: string) => (
    <label class="switch"><input type="checkbox" checked={reading[key]} onChange={(e) => setReading({ ...reading, [key]: e.currentTarget.checked })} />{label}</label>
  );

  return (
    <form class="create" aria-label="Voice" onSubmit={save}>
      {view.problem && <p class="error">This card's voice cannot be used: {view.problem}</p>}
      <label>Voice provider
        <select value={provider} onChange={(e) => setProvider(e.currentTarget.value as VoiceProvider)}>
          {VOICE_PROVIDERS.map((p) => <option key={p} value={p}>{PROVIDER_LABELS[p]}</option>)}
        </select>
      </label>
      {!view.ready[provider] && <p class="muted small">{NOT_READY[provider]}</p>}
      <div class="active">
        <label>Voice name<input value={voice} placeholder="af_bella, alloy, a voice id" spellcheck={false} onInput={(e) => setVoice(e.currentTarget.value)} /></label>
        <label>Speed<input type="number" min={MIN_VOICE_SPEED} max={MAX_VOICE_SPEED} step="any" value={speed} onInput={(e) => setSpeed(e.currentTarget.value)} /></label>
        <label>Speech model<input value={model} placeholder="the device's default" spellcheck={false} onInput={(e) => setModel(e.currentTarget.value)} /></label>
      </div>
      {option('dialogueOnly', 'Read only dialogue (text in quotes)')}
      {option('narrator', 'Narrator voice for the rest')}
      {reading.narrator && (
        <div class="active">
          <label>Narrator voice name<input value={narratorName} placeholder="bm_george, onyx, a voice id" spellcheck={false} onInput={(e) => setNarratorName(e.currentTarget.value)} /></label>
          <label>Narrator speed<input type="number" min={MIN_VOICE_SPEED} max={MAX_VOICE_SPEED} step="any" value={narratorSpeed} onInput={(e) => setNarratorSpeed(e.currentTarget.value)} /></label>
          {!narratorName.trim() && <p class="muted small">No narrator voice named: narration is read in {view.character?.name ?? 'the character'}'s voice.</p>}
        </div>
      )}
      {option('skipActions', 'Skip *actions*')}
      <p class="muted small">Code is never read aloud.</p>
      {problems.length > 0 && voice.trim() !== '' && <p class="error">{problems[0]!.message}</p>}
      <button type="submit" class="primary" disabled={saving.busy || problems.length > 0}>Save voice</button>
      {saved && <button type="button" disabled={saving.busy} onClick={remove}>Remove voice</button>}
      <label class="switch"><input type="checkbox" checked={view.readAloud} disabled={saving.busy} onChange={(e) => readAloud(e.currentTarget.checked)} />Read replies aloud in this chat</label>
      {view.readAloud && !saved && <p class="muted small">Give {view.character?.name ?? 'the character'} a voice above to hear its replies.</p>}
      <button type="button" onClick={stop} title="Escape also stops">Stop speaking</button>
      <p class="muted small" aria-label="Voice status">{playback.status === 'speaking' ? 'Speaking…' : 'Not speaking.'}</p>
      {playback.error && <p role="alert" class="error">{playback.error}</p>}
      <ActionOutcomeLine outcome={saving.outcome} />
    </form>
  );
}

/**
 * True for the person's own Escape while focus is in the panel (outside its shadow root the event's
 * target is the panel's host element): it stops speaking, whether or not the Voice section is open.
 */
export function isPanelEscape(event: Pick<KeyboardEvent, 'key' | 'isTrusted' | 'target'>): boolean {
  return event.key === 'Escape' && event.isTrusted && event.target instanceof Element && event.target.localName === PANEL_ELEMENT_NAME;
}

export const voice = defineFeature({
  id: 'voice',
  title: 'Voice',
  needs: 'character',
  load: ({ chatKey, call }) => call('voice.get', { chatKey }),
  reloadOn: ['chat-changed', 'characters-changed'],
  start: ({ call, signal }) => {
    document.addEventListener('keydown', (event) => {
      if (isPanelEscape(event)) call('voice.stop', {}).catch(() => {});
    }, { signal });
  },
  Component: Voice,
  summary: (view) => (view.readAloud ? (view.voice ? `reads aloud: ${view.voice.voice}` : 'reads aloud: no voice') : null),
});
