import { useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { ASSET_TYPES, type AssetType } from '../../messaging/protocols/library-protocol.ts';
import type { AssetInfo, CharacterDetail } from '../../messaging/library-wire.ts';
import { errorText, fileToBase64 } from '../../client/library-client.ts';

/** A character's assets: view an image, remove one, add an image (an `icon` named main becomes the avatar). */
export function AssetList({ characterId, assets, onChanged }: { characterId: string; assets: AssetInfo[]; onChanged(detail: CharacterDetail): void }) {
  const [previews, setPreviews] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [type, setType] = useState<AssetType>('emotion');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);

  const view = async (asset: AssetInfo) => {
    try {
      const { dataUrl } = await callBackground('library.asset.get', { id: asset.id });
      setPreviews({ ...previews, [asset.id]: dataUrl });
    } catch (e) { setError(errorText(e)); }
  };
  const remove = async (asset: AssetInfo) => {
    try { onChanged(await callBackground('library.asset.remove', { characterId, assetId: asset.id })); } catch (e) { setError(errorText(e)); }
  };
  const add = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    try {
      onChanged(await callBackground('library.asset.add', { characterId, type, name: name.trim(), base64: await fileToBase64(file) }));
      setName('');
      setFile(null);
      setError(null);
    } catch (e) { setError(errorText(e)); }
  };

  return (
    <section class="tl-assets" aria-label="Assets">
      <h4>Assets</h4>
      {error && <p role="alert" class="tl-error">{error}</p>}
      {assets.length === 0 && <p class="tl-muted tl-small">No assets.</p>}
      <ul aria-label="Asset list">
        {assets.map((asset) => (
          <li key={asset.id}>
            {previews[asset.id] ? <img class="tl-asset-preview" src={previews[asset.id]} alt={asset.name} /> : null}
            <span class="tl-grow">
              <strong>{asset.name}</strong> <span class="tl-muted tl-small">{asset.type || 'unlisted'} · {asset.mime} · {Math.ceil(asset.size / 1024)} KB{asset.isAvatar ? ' · avatar' : ''}</span>
            </span>
            {asset.mime.startsWith('image/') && !previews[asset.id] && <button type="button" aria-label={`View ${asset.name}`} onClick={() => void view(asset)}>View</button>}
            <button type="button" aria-label={`Remove ${asset.name}`} onClick={() => void remove(asset)}>Remove</button>
          </li>
        ))}
      </ul>
      <form class="tl-inline-form" aria-label="Add image" onSubmit={add}>
        <label>Image<input type="file" accept="image/png,image/jpeg,image/webp,image/gif,image/avif" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
        <label>Asset type<select aria-label="Asset type" value={type} onChange={(e) => setType(e.currentTarget.value as AssetType)}>{ASSET_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
        <label>Asset name<input value={name} placeholder="main" pattern="[A-Za-z0-9_][A-Za-z0-9_.\-]*" maxLength={64} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <button type="submit" disabled={!file || !name.trim()}>Add image</button>
      </form>
    </section>
  );
}
