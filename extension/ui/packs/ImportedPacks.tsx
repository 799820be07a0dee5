import { useEffect, useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { errorText } from '../../client/library-client.ts';
import { usePacksChanges } from '../../client/use-packs-changes.ts';
import type { ImportedPackView } from '../../messaging/packs-wire.ts';
import { importedStateText, whenText } from './pack-text.ts';

/**
 * The packs this device imported and whether their publishers changed them: **Update available**
 * with **Apply update** (the changed characters re-imported in place), revoked or expired packs said
 * so. Opening it asks the relays about packs not checked in the last minute.
 */
export function ImportedPacks() {
  const changes = usePacksChanges();
  const [packs, setPacks] = useState<ImportedPackView[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    callBackground('packs.imported.check', { force: false }).then(setPacks, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
  }, []);
  useEffect(() => {
    if (changes > 0) callBackground('packs.imported.list', {}).then(setPacks, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
  }, [changes]);

  const run = async (key: string, work: () => Promise<string>) => {
    setBusy(key);
    setNotice(null);
    try {
      setNotice({ kind: 'ok', text: await work() });
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(null);
    }
  };
  const checkNow = () => run('check', async () => {
    const list = await callBackground('packs.imported.check', { force: true });
    setPacks(list);
    const updates = list.filter((p) => p.state === 'update-available').length;
    return updates === 0 ? 'Checked: no updates.' : `Checked: ${updates} ${updates === 1 ? 'pack has' : 'packs have'} an update.`;
  });
  const apply = (pack: ImportedPackView) => run(pack.id, async () => {
    const outcome = await callBackground('packs.imported.apply', { id: pack.id });
    return `Updated ${outcome.updated}, added ${outcome.added}.`;
  });
  const forget = (pack: ImportedPackView) => run(pack.id, async () => {
    await callBackground('packs.imported.forget', { id: pack.id });
    return 'Stopped following that pack; its characters stay in your library.';
  });

  return (
    <div>
      <h3>My imported packs</h3>
      {packs && packs.length === 0 && <p class="tl-muted">No imported pack yet: open a pack link above.</p>}
      {packs && packs.length > 0 && (
        <>
          <p><button type="button" disabled={busy !== null} onClick={() => void checkNow()}>Check for updates</button></p>
          <ul aria-label="My imported packs" class="tl-pack-list">
            {packs.map((pack) => (
              <li key={pack.id} aria-label={`Imported pack: ${pack.characterNames.join(', ')}`} class="tl-pack">
                <div class="tl-grow">
                  <strong>{pack.characterNames.join(', ')}</strong>
                  <div aria-label="Pack state" class={pack.state === 'update-available' ? 'tl-ok' : pack.state === 'current' ? 'tl-muted' : 'tl-error'}>{importedStateText(pack)}</div>
                  <div class="tl-muted tl-small">Version {pack.versionSeen}, imported {whenText(pack.importedAt)}, checked {whenText(pack.checkedAt)}.</div>
                </div>
                <div class="tl-pack-actions">
                  {pack.state === 'update-available' && <button type="button" class="tl-primary" disabled={busy !== null} onClick={() => void apply(pack)}>Apply update</button>}
                  <button type="button" disabled={busy !== null} onClick={() => void forget(pack)}>Forget</button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {notice && <p role={notice.kind === 'error' ? 'alert' : 'status'} aria-label="Imported packs status" class={notice.kind === 'error' ? 'tl-error' : 'tl-ok'}>{notice.text}</p>}
    </div>
  );
}
