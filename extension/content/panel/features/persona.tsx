/**
 * Who the person is in this chat (`{{user}}`): one of the saved personas (with an avatar; editing it
 * changes every chat that uses it), the chat's own, or the default every chat shares.
 */
import { useState } from 'preact/hooks';
import { bytesToBase64 } from '@troupe/shared/bytes';
import { Avatar } from '../../../ui/avatar.tsx';
import type { ChatSettingsView } from '../../../messaging/protocols/chat-protocol.ts';
import type { PersonaSettings } from '../../../messaging/chat-settings.ts';
import { MAX_PERSONA_DESCRIPTION, MAX_PERSONA_NAME } from '../../../messaging/limits/prompt.ts';
import { MAX_PERSONA_AVATAR_BYTES } from '../../../messaging/limits/persona.ts';
import { resolvePersona, type SavedPersona } from '../../../messaging/personas.ts';
import { readChatSettings, saveChatSettings } from '../chat-settings.ts';
import { defineFeature, type FeatureProps, type FeatureScope } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

interface PersonaData {
  view: ChatSettingsView;
  /** The person's saved personas, by name. */
  personas: SavedPersona[];
}

async function loadPersona(scope: FeatureScope<'chat'>): Promise<PersonaData> {
  const [view, personas] = await Promise.all([readChatSettings(scope), scope.call('personas.list', {})]);
  return { view, personas };
}

// The form is this run's: switching chats starts from that chat's persona.
function Persona({ data, scope, set }: FeatureProps<PersonaData, 'chat'>) {
  const { view, personas } = data;
  const chosen = view.settings.persona;
  const inUse = resolvePersona(chosen ?? view.defaultPersona, personas);
  const followed = inUse.id ? personas.find((p) => p.id === inUse.id) ?? null : null;
  const [name, setName] = useState(inUse.name);
  const [description, setDescription] = useState(inUse.description);
  const [picture, setPicture] = useState<File | null>(null);
  // Remounting the file input clears the file it shows once its picture is saved.
  const [pictureInput, setPictureInput] = useState(0);
  const { busy, outcome, run } = useAction();
  const choice = chosen ? (chosen.id && personas.some((p) => p.id === chosen.id) ? chosen.id : 'own') : 'default';
  // The radio shows a pick at once; the saved choice replaces it when the background confirms.
  const [picked, setPicked] = useState<string | null>(null);
  // Picking another persona shows it in the fields (typing does not change the choice), in this very render.
  const [fieldsOf, setFieldsOf] = useState(choice);
  if (fieldsOf !== choice) {
    setFieldsOf(choice);
    setName(inUse.name);
    setDescription(inUse.description);
    setPicked(null);
  }
  const shown = picked ?? choice;
  const unchanged = followed !== null && name.trim() === followed.name && description === followed.description;

  /** Saves part of the chat's settings and shows them as saved. */
  const save = async (patch: Parameters<typeof saveChatSettings>[1]) => set({ view: await saveChatSettings(scope, patch), personas });
  /** Reads the saved personas again after a change to them, with the chat's settings (a deletion changes both). */
  const refresh = async () => set(await loadPersona(scope));
  const follow = (p: SavedPersona): PersonaSettings => ({ id: p.id, name: p.name, description: p.description });
  const choose = (p: SavedPersona | null) => run(async () => {
    setPicked(p ? p.id : 'default');
    try {
      await save({ persona: p ? follow(p) : null });
    } catch (error) {
      setPicked(null);
      throw error;
    }
  });
  const saveForChat = () => run(async () => {
    await save({ persona: { name: name.trim(), description } });
    return 'Saved for this chat.';
  });
  const saveAsDefault = () => run(async () => {
    await save({ persona: null, defaultPersona: unchanged ? follow(followed) : { name: name.trim(), description } });
    return 'Saved as the default persona.';
  });
  const saveToPersonas = (id: string | null) => run(async () => {
    const avatar = picture ? { base64: await pictureBase64(picture) } : undefined;
    const saved = await scope.call('personas.save', { id, name: name.trim(), description, ...(avatar ? { avatar } : {}) });
    setPicture(null);
    setPictureInput((n) => n + 1);
    if (id === null) await saveChatSettings(scope, { persona: follow(saved) });
    await refresh();
    return id === null ? `Saved ${saved.name} to your personas; this chat uses it.` : `Updated ${saved.name} in every chat that uses it.`;
  });
  const remove = (p: SavedPersona) => run(async () => {
    await scope.call('personas.delete', { id: p.id });
    await refresh();
    return `Deleted ${p.name}; chats that used it keep its text.`;
  });

  return (
    <form class="create" aria-label="Persona" onSubmit={(e) => { e.preventDefault(); void saveForChat(); }}>
      {personas.length > 0 && (
        <fieldset class="personas" disabled={busy}>
          <legend class="small muted">Persona for this chat</legend>
          <label class="persona-choice">
            <input type="radio" name="troupe-persona" checked={shown === 'default'} onChange={() => void choose(null)} />
            <span class="grow name">Default ({resolvePersona(view.defaultPersona, personas).name.trim() || 'User'})</span>
          </label>
          {personas.map((p) => (
            <label class="persona-choice" key={p.id}>
              <input type="radio" name="troupe-persona" checked={shown === p.id} onChange={() => void choose(p)} />
              <Avatar name={p.name} src={p.avatar} />
              <span class="grow name">{p.name}</span>
            </label>
          ))}
          {chosen && !personas.some((p) => p.id === chosen.id) && (
            <label class="persona-choice">
              <input type="radio" name="troupe-persona" checked={shown === 'own'} readOnly />
              <span class="grow name">This chat's own ({chosen.name.trim() || 'User'})</span>
            </label>
          )}
        </fieldset>
      )}
      <label>Persona name<input value={name} maxLength={MAX_PERSONA_NAME} placeholder="User" onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Persona description<textarea rows={2} value={description} maxLength={MAX_PERSONA_DESCRIPTION} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
      <div class="active">
        {followed && <Avatar name={followed.name} src={followed.avatar} />}
        <label class="grow">Persona avatar<input key={pictureInput} type="file" accept="image/png,image/jpeg,image/webp,image/gif,image/avif" onChange={(e) => setPicture(e.currentTarget.files?.[0] ?? null)} /></label>
      </div>
      <p class="muted small">{followed ? `Uses ${followed.name} from your personas.` : chosen ? 'This chat has its own persona.' : 'This chat uses the default persona.'}</p>
      <div class="active">
        <button type="submit" class="primary" disabled={busy}>Save persona</button>
        <button type="button" disabled={busy} onClick={() => void saveAsDefault()}>Save as default persona</button>
        <button type="button" disabled={busy || !name.trim()} onClick={() => void saveToPersonas(null)}>Save to my personas</button>
        {followed && <button type="button" disabled={busy || !name.trim()} onClick={() => void saveToPersonas(followed.id)}>Update {followed.name}</button>}
        {followed && <button type="button" disabled={busy} onClick={() => void remove(followed)}>Delete {followed.name}</button>}
      </div>
      <ActionOutcomeLine outcome={outcome} />
    </form>
  );
}

/** The picture as base64, refused early when it is larger than the background accepts. */
async function pictureBase64(file: File): Promise<string> {
  if (file.size > MAX_PERSONA_AVATAR_BYTES) throw new Error(`That picture is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_PERSONA_AVATAR_BYTES / 1024 / 1024} MB.`);
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

export const persona = defineFeature({
  id: 'persona',
  title: 'Persona',
  needs: 'chat',
  load: loadPersona,
  // A deleted persona changes the chats that followed it (announced per chat) and the list.
  reloadOn: ['chat-changed', 'personas-changed'],
  Component: Persona,
  summary: ({ view, personas }) => resolvePersona(view.settings.persona ?? view.defaultPersona, personas).name.trim() || null,
});
