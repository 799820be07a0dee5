import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangeStream } from '../changes/change-feed.ts';
import { KIT_REVISION_COALESCE_MS, kitRevisionBumper, markKitsStaleOnChange } from './kit-staleness.ts';

afterEach(() => { vi.useRealTimers(); });

describe('kit staleness', () => {
  it('bumps for what kits are made from, from the person or sync, and not for stored replies or prompt-state writes', () => {
    const changes = new ChangeStream();
    const bumps: string[] = [];
    const stop = markKitsStaleOnChange(changes, () => bumps.push('bump'));
    changes.publish('characters', 'sync', ['c1']);
    changes.publish('lorebooks', 'person', ['b1']);
    changes.publish('chats', 'person', ['o#a']);
    changes.publish('settings', 'person', ['local:prompt.settings']);
    expect(bumps).toHaveLength(4);
    changes.publish('chatLog', 'person', ['o#a']);
    changes.publish('chats', 'prompt-state', ['o#a']);
    changes.publish('chats', 'reply', ['o#a']);
    changes.publish('tombstones', 'person', ['c2']);
    expect(bumps).toHaveLength(4);
    stop();
    changes.publish('characters', 'person', ['c1']);
    expect(bumps).toHaveLength(4);
  });

  it('writes one revision per burst of changes, and every revision is newer than the last', async () => {
    vi.useFakeTimers();
    const written: number[] = [];
    const bump = kitRevisionBumper(async (value) => { written.push(value); });
    bump();
    bump();
    bump();
    await vi.advanceTimersByTimeAsync(KIT_REVISION_COALESCE_MS);
    expect(written).toHaveLength(1);
    bump();
    await vi.advanceTimersByTimeAsync(KIT_REVISION_COALESCE_MS);
    expect(written).toHaveLength(2);
    expect(written[1]!).toBeGreaterThan(written[0]!);
  });
});
