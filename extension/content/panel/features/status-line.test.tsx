import { afterEach, describe, expect, it, vi } from 'vitest';
import { statusLine } from './status-line.tsx';
import { expectStopped, mountFeature, press, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

const section = () => mounted!.section();

describe('status-line', () => {
  it('says whether Troupe is working here and who spoke last, with no header', async () => {
    mounted = mountFeature(statusLine);
    expect(section().matches('section[aria-label="Status"]')).toBe(true);
    expect(section().querySelector('[role="status"]')?.textContent).toBe('Ready on this NextChat page.');
    mounted.overlay.set({ lastRequest: { characterName: 'Mira', at: 1 } });
    await vi.waitFor(() => expect(section().querySelector('[role="status"]')?.textContent).toBe('Ready on this NextChat page. Last request sent as Mira.'));
    mounted.overlay.set({ interceptor: 'missing', lastRequest: null });
    await vi.waitFor(() => expect(section().querySelector('[role="status"]')?.textContent).toBe('Not connected: requests go out unchanged.'));
  });

  it('warns about a NextChat that looks different, and shows the last error until dismissed', async () => {
    mounted = mountFeature(statusLine);
    mounted.overlay.set({ missingLandmarks: ['sendButton', 'inputPanel'], lastError: 'Troupe could not prepare this request: no kit' });
    await vi.waitFor(() => expect(section().querySelector('.warning')?.textContent).toBe('This NextChat looks different from the one Troupe knows (missing: sendButton, inputPanel). Some parts may not work.'));
    expect(section().querySelector('[role="alert"] span')?.textContent).toBe('Troupe could not prepare this request: no kit');
    await press(section, 'Dismiss error');
    await vi.waitFor(() => expect(section().querySelector('[role="alert"]')).toBeNull());
    expect(mounted.overlay.get().lastError).toBeNull();
    expect(mounted.background.calls).toEqual([]);
  });

  it('stops with its signal', async () => {
    mounted = mountFeature(statusLine);
    await expectStopped(mounted, [{ type: 'reconnected' }]);
  });
});
