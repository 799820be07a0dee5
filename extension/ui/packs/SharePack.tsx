import { useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { errorText } from '../../client/library-client.ts';
import { PACK_EXPIRIES, type PackExpiry, type SharedPackView } from '../../messaging/packs-wire.ts';
import { EXPIRY_LABELS } from './pack-text.ts';
import { ShareLink } from './ShareLink.tsx';

/**
 * Shares the picked characters as a link: their cards, images, lorebooks and voices, sealed on this
 * device and uploaded to your relay. Shows the link, its QR code and Copy.
 */
export function SharePack({ picked, onClear }: { picked: { id: string; name: string }[]; onClear(): void }) {
  const [expiry, setExpiry] = useState<PackExpiry>('never');
  const [busy, setBusy] = useState(false);
  const [shared, setShared] = useState<SharedPackView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const share = async () => {
    setBusy(true);
    setError(null);
    setShared(null);
    try {
      setShared(await callBackground('packs.share', { characterIds: picked.map((c) => c.id), expiry }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (picked.length === 0 && !shared) return null;
  return (
    <section class="tl-share" aria-label="Share as link">
      {picked.length > 0 && (
        <div class="tl-toolbar">
          <span>{picked.length === 1 ? `1 character picked: ${picked[0]!.name}` : `${picked.length} characters picked`}</span>
          <label class="tl-inline">
            Link expires
            <select aria-label="Link expires" value={expiry} onChange={(e) => setExpiry(e.currentTarget.value as PackExpiry)}>
              {PACK_EXPIRIES.map((value) => <option key={value} value={value}>{EXPIRY_LABELS[value]}</option>)}
            </select>
          </label>
          <button type="button" class="tl-primary" disabled={busy} onClick={() => void share()}>{busy ? 'Sharing…' : 'Share as link'}</button>
          <button type="button" onClick={onClear}>Clear selection</button>
        </div>
      )}
      {error && <p role="alert" class="tl-error" aria-label="Share error">{error}</p>}
      {shared && (
        <div role="status" aria-label="Shared pack">
          <p>Shared {shared.characterNames.join(', ')}. Anyone with this link can add them to Troupe; the relay cannot read them. Manage it under My shared packs.</p>
          <ShareLink link={shared.link} />
        </div>
      )}
    </section>
  );
}
