/** One line on whether the library is in step with the person's other devices (shown only once paired). */
import { defineFeature, type FeatureProps } from '../feature.ts';
import { syncStatusItem } from '../../../messaging/storage/sync.ts';
import { describeSyncStatus } from '../../../ui/sync-status-text.ts';
import type { SyncStatus } from '../../../messaging/sync-types.ts';

function SyncStatusLine({ data }: FeatureProps<SyncStatus, 'site'>) {
  if (data.state === 'unpaired') return null;
  return <p class="sync-status" aria-label="Sync status">{describeSyncStatus(data)}</p>;
}

export const syncStatus = defineFeature({
  id: 'sync-status',
  title: 'Sync',
  needs: 'site',
  collapsible: false,
  // The background writes the status to storage.local; no message announces it.
  load: () => syncStatusItem.getValue(),
  start: ({ signal }, run) => signal.addEventListener('abort', syncStatusItem.watch((status) => run.set(status)), { once: true }),
  Component: SyncStatusLine,
});
