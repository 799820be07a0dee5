import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { syncStatusItem } from '../../../messaging/storage/sync.ts';
import { describeSyncStatus } from '../../../ui/sync-status-text.ts';
import type { SyncStatus } from '../../../messaging/sync-types.ts';
import { syncStatus } from './sync-status.tsx';
import { expectStopped, mountFeature, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
beforeEach(() => fakeBrowser.reset());
afterEach(() => mounted?.unmount());

const line = () => mounted!.section().querySelector('[aria-label="Sync status"]')?.textContent ?? null;

describe('sync-status', () => {
  it('shows nothing until paired, then follows the status the background writes', async () => {
    mounted = mountFeature(syncStatus);
    await vi.waitFor(() => expect(mounted!.section().matches('section[aria-label="Sync"]')).toBe(true));
    expect(line()).toBeNull();
    const synced: SyncStatus = { state: 'syncing', pending: 3 };
    await syncStatusItem.setValue(synced);
    await vi.waitFor(() => expect(line()).toBe(describeSyncStatus(synced)));
    expect(mounted.background.calls).toEqual([]);
  });

  it('stops following the status with its signal', async () => {
    await syncStatusItem.setValue({ state: 'offline' });
    mounted = mountFeature(syncStatus);
    await vi.waitFor(() => expect(line()).toBe(describeSyncStatus({ state: 'offline' })));
    await expectStopped(mounted, [{ type: 'reconnected' }]);
    await syncStatusItem.setValue({ state: 'connected' });
    await syncStatusItem.getValue();
    expect(line()).toBeNull();
  });
});
