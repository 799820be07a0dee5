/** A minimal character: name, description, avatar. The full card editor lives in the library. */
import { useState } from 'preact/hooks';
import { MAX_AVATAR_DATA_URL, MAX_CHARACTER_DESCRIPTION, MAX_CHARACTER_NAME } from '../../../messaging/limits/general.ts';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

function CreateCharacter({ scope }: FeatureProps<undefined, 'site'>) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [avatar, setAvatar] = useState<string | null>(null);
  const [avatarError, setAvatarError] = useState<string | null>(null);
  // While the picture is read, creating would leave it out.
  const [reading, setReading] = useState(false);
  const creating = useAction();

  const pickAvatar = async (file: File | undefined) => {
    setAvatarError(null);
    setAvatar(null);
    if (!file) return;
    if (!/^image\/(png|jpeg|webp|gif)$/.test(file.type)) return setAvatarError('Choose a PNG, JPEG, WebP or GIF image.');
    setReading(true);
    try {
      const dataUrl = await readAsDataUrl(file);
      if (dataUrl.length > MAX_AVATAR_DATA_URL) return setAvatarError(`That image is too large (limit about ${Math.floor(MAX_AVATAR_DATA_URL / 1.37 / 1000)} KB).`);
      setAvatar(dataUrl);
    } catch (error) {
      setAvatarError(error instanceof Error ? error.message : String(error));
    } finally {
      setReading(false);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    // The library announces the new character: the list shows it without asking.
    const created = await creating.run(async () => { await scope.call('characters.create', { name, description, avatar }); });
    if (created) { setName(''); setDescription(''); setAvatar(null); }
  };

  return (
    <form class="create" onSubmit={submit} aria-label="New character">
      <label>Name<input value={name} maxLength={MAX_CHARACTER_NAME} required onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Description<textarea rows={3} value={description} maxLength={MAX_CHARACTER_DESCRIPTION} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
      <label>Avatar<input type="file" accept="image/png,image/jpeg,image/webp,image/gif" onChange={(e) => void pickAvatar(e.currentTarget.files?.[0])} /></label>
      {avatarError && <p class="error" role="alert">{avatarError}</p>}
      <button type="submit" class="primary" disabled={creating.busy || reading || name.trim().length === 0}>Create character</button>
      <ActionOutcomeLine outcome={creating.outcome} />
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

export const createCharacter = defineFeature({ id: 'create-character', title: 'New character', needs: 'site', Component: CreateCharacter });
