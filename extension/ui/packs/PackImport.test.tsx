import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { PackPreview } from '../../messaging/packs-wire.ts';
import { PackImport } from './PackImport.tsx';

const calls = vi.hoisted(() => ({ log: [] as { type: string; payload: unknown }[], preview: null as unknown }));
vi.mock('../../client/runtime-client.ts', () => ({
  callBackground: async (type: string, payload: unknown) => {
    calls.log.push({ type, payload });
    if (type === 'packs.preview') return calls.preview;
    if (type === 'packs.import') return { added: 1, updated: 1, unchanged: 0, characterIds: ['x', 'y'] };
    throw new Error(`unexpected ${type}`);
  },
}));

const HOSTILE = '<img src=x onerror="window.__ran=1"><script>window.__ran=1</script>';

function preview(): PackPreview {
  return {
    id: 'AAAAAAAAAAAAAAAAAAAAAA', relayUrl: 'http://127.0.0.1:8787', version: 3, updatedAt: 1, expiresAt: null, warnings: 0, ownPack: false,
    characters: [
      { index: 0, name: HOSTILE, description: `${HOSTILE} description`, creator: '', tags: [], avatar: null, lorebookEntries: 2, assets: 1, status: 'new', libraryId: null, changes: [] },
      { index: 1, name: 'Bo', description: 'Rows.', creator: 'Ann', tags: [], avatar: null, lorebookEntries: 0, assets: 0, status: 'same-name', libraryId: 'mine', changes: ['description', 'avatar'] },
    ],
    lorebooks: [],
  };
}

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  calls.log.length = 0;
});

describe('PackImport', () => {
  it('shows hostile card text as text (no element from it, nothing runs) and imports with the person\'s choice', async () => {
    calls.preview = preview();
    host = document.createElement('div');
    document.body.append(host);
    render(<PackImport initialLink="http://127.0.0.1:8787/p/AAAAAAAAAAAAAAAAAAAAAA#k" autoOpen />, host);
    await vi.waitFor(() => expect(host!.querySelectorAll('li.tl-card')).toHaveLength(2));
    expect(host.querySelector('script')).toBeNull();
    expect(host.querySelectorAll('img')).toHaveLength(0);
    expect(host.textContent).toContain(HOSTILE);
    expect((globalThis as { __ran?: number }).__ran).toBeUndefined();
    expect(host.textContent).toContain('You have one with this name: description, avatar');

    const replace = [...host.querySelectorAll('label')].find((label) => label.textContent?.includes('Replace my Bo'))!.querySelector('input')!;
    act(() => replace.click());
    const add = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Add to my library')!;
    add.click();
    await vi.waitFor(() => expect(host!.querySelector('[aria-label="Pack result"]')?.textContent).toBe('Added 1, updated 1.'));
    // The page knows what the import did: it does not download and open the pack again to show it.
    expect(calls.log.filter((c) => c.type === 'packs.preview')).toHaveLength(1);
    expect([...host.querySelectorAll('[aria-label^="Status of"]')].map((s) => s.textContent)).toEqual(['Already in your library', 'Already in your library']);
    expect(host.textContent).toContain('Everything in this pack is already in your library.');
    expect(calls.log.find((c) => c.type === 'packs.import')!.payload).toEqual({ link: 'http://127.0.0.1:8787/p/AAAAAAAAAAAAAAAAAAAAAA#k', version: 3, replace: { characters: [1], lorebooks: [] } });
  });
});
