import { useEffect, useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { errorText } from '../../client/library-client.ts';
import type { PackImportOutcome, PackPreview } from '../../messaging/packs-wire.ts';
import { Avatar } from '../avatar.tsx';
import { STATUS_LABELS, whenText } from './pack-text.ts';

/**
 * The preview once its version is imported: every item is now in the library as the pack has it.
 * Derived here rather than asked again, since asking downloads and opens the whole pack a second
 * time (10 MB for ten 1 MB avatars) just to learn that.
 */
export function afterImport(pack: PackPreview, outcome: PackImportOutcome): PackPreview {
  return {
    ...pack,
    characters: pack.characters.map((c) => ({ ...c, status: 'unchanged', changes: [], libraryId: outcome.characterIds[c.index] ?? c.libraryId })),
    lorebooks: pack.lorebooks.map((b) => ({ ...b, status: 'unchanged', changes: [] })),
  };
}

/**
 * Opens a pack link: shows what the pack holds (avatars, names, descriptions, lorebook sizes) and,
 * for what the library already has, what would change; **Add to my library** stores all of it or
 * nothing. Card text is rendered as text, never as HTML.
 */
export function PackImport({ initialLink = '', autoOpen = false }: { initialLink?: string; autoOpen?: boolean }) {
  const [link, setLink] = useState(initialLink);
  const [preview, setPreview] = useState<{ link: string; pack: PackPreview } | null>(null);
  const [replace, setReplace] = useState<{ characters: Set<number>; lorebooks: Set<number> }>({ characters: new Set(), lorebooks: new Set() });
  const [busy, setBusy] = useState<'opening' | 'adding' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<PackImportOutcome | null>(null);

  const open = async (text: string) => {
    setBusy('opening');
    setError(null);
    setDone(null);
    setPreview(null);
    try {
      setPreview({ link: text, pack: await callBackground('packs.preview', { link: text }) });
      setReplace({ characters: new Set(), lorebooks: new Set() });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  useEffect(() => { if (autoOpen && initialLink) void open(initialLink); }, []);

  const add = async () => {
    if (!preview) return;
    setBusy('adding');
    setError(null);
    try {
      const outcome = await callBackground('packs.import', {
        link: preview.link,
        version: preview.pack.version,
        replace: { characters: [...replace.characters], lorebooks: [...replace.lorebooks] },
      });
      setDone(outcome);
      setPreview({ link: preview.link, pack: afterImport(preview.pack, outcome) });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const toggle = (list: 'characters' | 'lorebooks', index: number, on: boolean) => {
    const next = new Set(replace[list]);
    if (on) next.add(index);
    else next.delete(index);
    setReplace({ ...replace, [list]: next });
  };

  const pack = preview?.pack;
  const toAdd = pack ? [...pack.characters, ...pack.lorebooks].filter((item) => item.status !== 'unchanged').length : 0;
  return (
    <div class="tl-pack-import">
      <form onSubmit={(e) => { e.preventDefault(); void open(link.trim()); }} class="tl-toolbar">
        <label class="tl-grow">
          Pack link
          <input aria-label="Pack link" value={link} placeholder="https://relay.example/p/…#…" onInput={(e) => setLink(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={link.trim() === '' || busy !== null}>{busy === 'opening' ? 'Opening…' : 'Open link'}</button>
      </form>
      {error && <p role="alert" class="tl-error" aria-label="Pack error">{error}</p>}
      {pack && (
        <div>
          <p class="tl-muted tl-small">
            Version {pack.version}, published {whenText(pack.updatedAt)}{pack.expiresAt !== null ? `, expires ${whenText(pack.expiresAt)}` : ''}.
            {pack.ownPack ? ' You share this pack.' : ''}
            {pack.warnings > 0 ? ` The card reader fixed ${pack.warnings} small problem${pack.warnings === 1 ? '' : 's'} in it.` : ''}
          </p>
          <ul class="tl-cards tl-list" aria-label="Characters in this pack">
            {pack.characters.map((c) => (
              <li key={c.index} class="tl-card" aria-label={c.name}>
                <Avatar name={c.name} src={c.avatar} />
                <div class="tl-card-body">
                  <strong class="tl-name">{c.name}</strong>
                  {c.creator && <span class="tl-muted tl-small">by {c.creator}</span>}
                  <span class="tl-excerpt">{c.description}</span>
                  <span class="tl-muted tl-small">
                    {c.lorebookEntries} lorebook {c.lorebookEntries === 1 ? 'entry' : 'entries'}, {c.assets} {c.assets === 1 ? 'image or sound' : 'images or sounds'}
                  </span>
                  <span class="tl-small" aria-label={`Status of ${c.name}`}>
                    {STATUS_LABELS[c.status]}{c.changes.length > 0 ? `: ${c.changes.join(', ')}` : ''}
                  </span>
                  {c.status === 'same-name' && (
                    <label class="tl-inline">
                      <input type="checkbox" checked={replace.characters.has(c.index)} onChange={(e) => toggle('characters', c.index, e.currentTarget.checked)} />
                      Replace my {c.name} (otherwise added beside it)
                    </label>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {pack.lorebooks.length > 0 && (
            <ul aria-label="Lorebooks in this pack">
              {pack.lorebooks.map((b) => (
                <li key={b.index}>
                  <span>Lorebook <strong>{b.name}</strong>: {b.entries} {b.entries === 1 ? 'entry' : 'entries'}. {STATUS_LABELS[b.status]}{b.changes.length > 0 ? `: ${b.changes.join(', ')}` : ''}</span>
                  {b.status === 'same-name' && (
                    <label class="tl-inline">
                      <input type="checkbox" checked={replace.lorebooks.has(b.index)} onChange={(e) => toggle('lorebooks', b.index, e.currentTarget.checked)} />
                      Replace my {b.name}
                    </label>
                  )}
                </li>
              ))}
            </ul>
          )}
          <p>
            <button type="button" class="tl-primary" disabled={busy !== null || toAdd === 0} onClick={() => void add()}>
              {busy === 'adding' ? 'Adding…' : 'Add to my library'}
            </button>
            {toAdd === 0 && <span class="tl-muted"> Everything in this pack is already in your library.</span>}
          </p>
        </div>
      )}
      {done && (
        <p role="status" aria-label="Pack result">
          {`Added ${done.added}, updated ${done.updated}` + (done.unchanged > 0 ? `, ${done.unchanged} already in your library.` : '.')}
        </p>
      )}
    </div>
  );
}
