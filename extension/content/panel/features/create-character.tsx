import { useState } from 'preact/hooks';
import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../overlay-context.ts';
import { MAX_AVATAR_DATA_URL, MAX_CHARACTER_DESCRIPTION, MAX_CHARACTER_NAME } from '../../../messaging/limits/general.ts';

/** A minimal character: name, description, avatar. The full card editor lives in the library. */
function CreateCharacter() {
  const { actions } = useOverlay();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [avatar, setAvatar] = useState<string | null>(null);
  const [avatarError, setAvatarError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pickAvatar = async (file: File | undefined) => {
    setAvatarError(null);
    setAvatar(null);
    if (!file) return;
    if (!/^image\/(png|jpeg|webp|gif)$/.test(file.type)) return setAvatarError('Choose a PNG, JPEG, WebP or GIF image.');
    const dataUrl = await readAsDataUrl(file);
    if (dataUrl.length > MAX_AVATAR_DATA_URL) return setAvatarError(`That image is too large (limit about ${Math.floor(MAX_AVATAR_DATA_URL / 1.37 / 1000)} KB).`);
    setAvatar(dataUrl);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const created = await actions.createCharacter({ name, description, avatar });
    setBusy(false);
    if (created) { setName(''); setDescription(''); setAvatar(null); }
  };

  return (
    <form class="create" onSubmit={submit} aria-label="New character">
      <label>Name<input value={name} maxLength={MAX_CHARACTER_NAME} required onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Description<textarea rows={3} value={description} maxLength={MAX_CHARACTER_DESCRIPTION} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
      <label>Avatar<input type="file" accept="image/png,image/jpeg,image/webp,image/gif" onChange={(e) => void pickAvatar(e.currentTarget.files?.[0])} /></label>
      {avatarError && <p class="error" role="alert">{avatarError}</p>}
      <button type="submit" class="primary" disabled={busy || name.trim().length === 0}>Create character</button>
    </form>
  );
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The image could not be read.'));
    reader.readAsDataURL(file);
  });
}

export const createCharacter: PanelFeature = { id: 'create-character', title: 'New character', Component: CreateCharacter };
