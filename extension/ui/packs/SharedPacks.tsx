import { useEffect, useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { errorText } from '../../client/library-client.ts';
import { usePacksChanges } from '../../client/use-packs-changes.ts';
import { PACK_EXPIRIES, type PackExpiry, type SharedPackView } from '../../messaging/packs-wire.ts';
import { EXPIRY_LABELS, sizeText, whenText } from './pack-text.ts';
import { ShareLink } from './ShareLink.tsx';

/** The packs this device shares: their link, **Update** (publish the current characters), **Stop sharing**, expiry. */
export function SharedPacks() {
  const changes = usePacksChanges();
  const [packs, setPacks] = useState<SharedPackView[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [shown, setShown] = useState<string | null>(null);

  useEffect(() => {
    callBackground('packs.shared.list', {}).then(setPacks, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
  }, [changes]);

  const act = async (id: string, run: () => Promise<unknown>, done: string) => {
    setBusy(id);
    setNotice(null);
    try {
      await run();
      setNotice({ kind: 'ok', text: done });
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <h3>My shared packs</h3>
      {packs && packs.length === 0 && <p class="tl-muted">You share no pack yet: pick characters in the library and press Share as link.</p>}
      {packs && packs.length > 0 && (
        <ul aria-label="My shared packs" class="tl-pack-list">
          {packs.map((pack) => (
            <li key={pack.id} aria-label={`Shared pack: ${pack.characterNames.join(', ')}`} class="tl-pack">
              <div class="tl-grow">
                <strong>{pack.characterNames.join(', ')}</strong>
                <div class="tl-muted tl-small">
                  Version {pack.version}, {sizeText(pack.size)}, published {whenText(pack.updatedAt)}; {pack.expiresAt === null ? 'never expires' : `expires ${whenText(pack.expiresAt)}`}.
                  {pack.missing > 0 ? ` ${pack.missing} of its characters were deleted from your library: Update leaves them out.` : ''}
                </div>
                {shown === pack.id && <ShareLink link={pack.link} />}
              </div>
              <div class="tl-pack-actions">
                <button type="button" aria-pressed={shown === pack.id} onClick={() => setShown(shown === pack.id ? null : pack.id)}>Link</button>
                <button type="button" disabled={busy !== null} onClick={() => void act(pack.id, () => callBackground('packs.shared.update', { id: pack.id }), 'Published the current version: people who imported it will see Update available.')}>Update</button>
                <label class="tl-inline">
                  Expiry
                  <select aria-label="Expiry" value={pack.expiry} disabled={busy !== null} onChange={(e) => {
                    const expiry = e.currentTarget.value as PackExpiry;
                    void act(pack.id, () => callBackground('packs.shared.setExpiry', { id: pack.id, expiry }), `Expiry set: ${EXPIRY_LABELS[expiry].toLowerCase()}.`);
                  }}>
                    {PACK_EXPIRIES.map((value) => <option key={value} value={value}>{EXPIRY_LABELS[value]}</option>)}
                  </select>
                </label>
                <button type="button" class="tl-danger" disabled={busy !== null} onClick={() => void act(pack.id, () => callBackground('packs.shared.stop', { id: pack.id }), 'Stopped sharing: the link now says the pack was revoked.')}>Stop sharing</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {notice && <p role={notice.kind === 'error' ? 'alert' : 'status'} aria-label="Shared packs status" class={notice.kind === 'error' ? 'tl-error' : 'tl-ok'}>{notice.text}</p>}
    </div>
  );
}
