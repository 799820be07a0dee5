import { useEffect, useState } from 'preact/hooks';
import type { PanelFeature } from './feature.ts';
import { syncStatusItem } from '../../../messaging/storage/sync.ts';
import { describeSyncStatus } from '../../../ui/sync-status-text.ts';
import type { SyncStatus } from '../../../messaging/sync-types.ts';

/** One line on whether the library is in step with the user's other devices (shown only once paired). */
function SyncStatusLine() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let live = true;
    syncStatusItem.getValue().then((value) => { if (live) setStatus(value); }, () => undefined);
    const unwatch = syncStatusItem.watch((value) => setStatus(value));
    return () => { live = false; unwatch(); };
  }, []);
  if (!status || status.state === 'unpaired') return null;
  return <p class="sync-status" aria-label="Sync status">{describeSyncStatus(status)}</p>;
}

export const syncStatus: PanelFeature = { id: 'sync-status', title: 'Sync', Component: SyncStatusLine, collapsible: false };
