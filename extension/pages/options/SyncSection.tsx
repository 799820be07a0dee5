import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { callBackground } from '../../client/runtime-client.ts';
import { syncStatusItem } from '../../messaging/storage/sync.ts';
import { describeSyncStatus } from '../../ui/sync-status-text.ts';
import type { SyncOverview } from '../../messaging/sync-types.ts';

type Notice = { kind: 'error' | 'ok'; text: string } | null;

const styles = {
  qr: { width: '220px', height: '220px', imageRendering: 'pixelated' },
  link: { fontFamily: 'monospace', wordBreak: 'break-all', fontSize: '13px' },
  row: { display: 'flex', gap: '8px', alignItems: 'end', flexWrap: 'wrap' },
} as const;

/** Pair this device with others through a relay: make or paste a pairing link, choose the relay, unpair. */
export function SyncSection() {
  const [overview, setOverview] = useState<SyncOverview | null>(null);
  const [relay, setRelay] = useState('');
  const [pasted, setPasted] = useState('');
  const [shown, setShown] = useState<{ link: string; fingerprint: string; qr: string | null } | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  const apply = (next: SyncOverview) => {
    setOverview(next);
    setRelay(next.relayUrl);
  };
  const fail = (error: unknown) => setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });

  useEffect(() => {
    callBackground('sync.status', {}).then(apply, fail);
    // The background writes every status change here; watching it keeps the line live without polling.
    return syncStatusItem.watch((status) => setOverview((prev) => (prev ? { ...prev, status } : prev)));
  }, []);

  const createLink = async () => {
    setNotice(null);
    try {
      const made = await callBackground('sync.createLink', {});
      const qr = await QRCode.toDataURL(made.link, { margin: 1, width: 220 }).catch(() => null);
      setShown({ ...made, qr });
      apply(await callBackground('sync.status', {}));
    } catch (error) { fail(error); }
  };

  const pair = async (event: Event) => {
    event.preventDefault();
    setNotice(null);
    try {
      apply(await callBackground('sync.pair', { link: pasted }));
      setPasted('');
      setNotice({ kind: 'ok', text: 'Paired. Your library now syncs with the other device.' });
    } catch (error) { fail(error); }
  };

  const saveRelay = async (event: Event) => {
    event.preventDefault();
    setNotice(null);
    try {
      apply(await callBackground('sync.setRelay', { url: relay }));
      setNotice({ kind: 'ok', text: 'Relay address saved.' });
    } catch (error) { fail(error); }
  };

  const unpair = async () => {
    setNotice(null);
    try {
      apply(await callBackground('sync.unpair', {}));
      setShown(null);
      setNotice({ kind: 'ok', text: 'Unpaired. Your library stays on this device.' });
    } catch (error) { fail(error); }
  };

  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.link);
      setNotice({ kind: 'ok', text: 'Pairing link copied.' });
    } catch (error) { fail(error); }
  };

  return (
    <section aria-labelledby="sync-title">
      <h2 id="sync-title">Sync</h2>
      <p>Keep your characters and lorebooks the same on your devices, through a relay you run. The relay never sees your pairing link.</p>
      <p role="status" aria-label="Sync status">{overview ? describeSyncStatus(overview.status) : 'Loading…'}</p>
      {overview?.fingerprint && <p>Pairing code: <strong aria-label="Pairing code">{overview.fingerprint}</strong> (the same on every paired device)</p>}

      <form onSubmit={saveRelay} style={styles.row}>
        <label>Relay address <input value={relay} placeholder="ws://127.0.0.1:8787" onInput={(e) => setRelay(e.currentTarget.value)} /></label>
        <button type="submit">Save relay</button>
      </form>

      <h3>Pair another device</h3>
      <button type="button" onClick={() => void createLink()}>Create pairing link</button>
      {shown && (
        <div>
          <p>Open Troupe's options on the other device and paste this link under "Pair with a link", or scan the code. Keep it private: it is the key to your library.</p>
          <p style={styles.link} aria-label="Pairing link text">{shown.link}</p>
          <button type="button" onClick={() => void copy()}>Copy link</button>
          {shown.qr && <img src={shown.qr} alt="Pairing link as a QR code" style={styles.qr} />}
        </div>
      )}

      <h3>Pair with a link</h3>
      <form onSubmit={pair} style={styles.row}>
        <label>Pairing link <input value={pasted} placeholder="troupe-pair:v1:…" onInput={(e) => setPasted(e.currentTarget.value)} /></label>
        <button type="submit" disabled={pasted.trim() === ''}>Pair</button>
      </form>

      {overview?.paired && <p><button type="button" onClick={() => void unpair()}>Unpair</button></p>}
      {notice && <p role={notice.kind === 'error' ? 'alert' : 'status'} class={notice.kind}>{notice.text}</p>}
    </section>
  );
}
