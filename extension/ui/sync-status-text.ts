import type { SyncStatus } from '../messaging/sync-types.ts';

/** The status as a sentence. */
export function describeSyncStatus(status: SyncStatus): string {
  switch (status.state) {
    case 'unpaired': return 'Not paired: this library stays on this device.';
    case 'offline': return 'Offline: changes are kept and sent when the relay is reachable.';
    case 'connected': return 'Connected: up to date with your other devices.';
    case 'syncing': return `Syncing (${status.pending} waiting)…`;
    case 'error': return `Sync stopped: ${status.reason}.`;
  }
}
