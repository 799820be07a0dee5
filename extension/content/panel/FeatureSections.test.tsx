import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { defineFeature, type FeatureProps } from './feature.ts';
import { startFeatures, type FeatureSlot } from './feature-manager.ts';
import { INITIAL_OVERLAY_STATE, type OverlayHandle, type OverlayState } from '../overlay/overlay-state.ts';
import { createStore } from '../overlay/store.ts';
import { panelSectionsItem } from './section-state.ts';
import { FeatureSections } from './FeatureSections.tsx';
import { usePanelSections } from './use-panel-sections.ts';
import { fakeBackground } from './test-support.ts';

const text = (id: string, words: string) => function Text(_props: FeatureProps<undefined, 'site'>) { return <p data-feature={id}>{words}</p>; };
const FEATURES = [
  defineFeature({ id: 'status-line', title: 'Status', needs: 'site', Component: text('status-line', 'Ready.'), collapsible: false }),
  defineFeature({ id: 'active-character', title: 'Active character', needs: 'site', Component: text('active-character', 'Mira'), defaultOpen: true }),
  defineFeature({ id: 'persona', title: 'Persona', needs: 'site', Component: text('persona', 'Persona form'), summary: (_data, overlay) => (overlay.chatKey ? `chat ${overlay.chatKey}` : null) }),
  // A feature added later, with no section settings at all.
  defineFeature({ id: 'chat-lore', title: 'Chat lore', needs: 'site', Component: text('chat-lore', 'Lore') }),
  defineFeature({ id: 'nothing-here', title: 'Nothing here', needs: 'site', Component: () => null }),
  defineFeature({ id: 'broken-summary', title: 'Broken summary', needs: 'site', Component: text('broken-summary', 'Body'), summary: () => { throw new Error('no'); } }),
];

let root: HTMLElement;
beforeEach(() => {
  fakeBrowser.reset();
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  act(() => render(null, root));
  root.remove();
});

function Harness({ slots }: { slots: readonly FeatureSlot[] }) {
  return <FeatureSections slots={slots} sections={usePanelSections()} />;
}

let ended: AbortController | undefined;
afterEach(() => ended?.abort());

function mount(state: Partial<OverlayState> = {}) {
  const background = fakeBackground();
  const overlay: OverlayHandle = {
    state: createStore<OverlayState>({ ...INITIAL_OVERLAY_STATE, site: 'confirmed', ...state }),
    call: background.call,
    subscribe: background.subscribe,
    confirmSite: async () => {},
    activate: async () => {},
    dismissError: () => {},
    typeSpoken: () => 'typed',
  };
  ended?.abort();
  ended = new AbortController();
  const slots = startFeatures(FEATURES, overlay, ended.signal);
  act(() => render(<Harness slots={slots} />, root));
}

const header = (title: string) => [...root.querySelectorAll<HTMLButtonElement>('button.section-toggle')].find((b) => b.querySelector('.section-title')?.textContent === title);
const expanded = (title: string) => header(title)?.getAttribute('aria-expanded');
const bodyOf = (id: string) => root.querySelector<HTMLElement>(`[data-feature="${id}"]`)!.closest<HTMLElement>('.section-body, .feature')!;
const flush = () => act(async () => { await new Promise((r) => setTimeout(r, 0)); });

describe('FeatureSections', () => {
  it('gives each feature its section: defaults apply, a new feature starts closed, a non-collapsible one has no header', async () => {
    mount();
    await flush();
    expect(header('Status')).toBeUndefined();
    expect(root.querySelector('section[aria-label="Status"]')!.textContent).toBe('Ready.');
    expect(expanded('Active character')).toBe('true');
    expect(expanded('Persona')).toBe('false');
    expect(expanded('Chat lore')).toBe('false');
    expect(bodyOf('chat-lore').hidden).toBe(true);
    expect(bodyOf('active-character').hidden).toBe(false);
  });

  it('leaves the body of a feature that renders nothing empty, so the stylesheet hides its section', async () => {
    mount();
    await flush();
    const body = root.querySelector('#troupe-section-nothing-here')!;
    expect(body.childNodes.length).toBe(0);
    expect(body.matches(':empty')).toBe(true);
  });

  it('stores a toggle and restores it on the next mount (a reload, another NextChat origin)', async () => {
    mount();
    await flush();
    act(() => header('Persona')!.click());
    act(() => header('Active character')!.click());
    expect(expanded('Persona')).toBe('true');
    expect(expanded('Active character')).toBe('false');
    await vi.waitFor(async () => expect(await panelSectionsItem.getValue()).toEqual({ open: { persona: true, 'active-character': false } }));

    act(() => render(null, root));
    mount();
    await vi.waitFor(() => expect(expanded('Persona')).toBe('true'));
    expect(expanded('Active character')).toBe('false');
    expect(expanded('Chat lore')).toBe('false');
  });

  it('ignores unknown ids and malformed entries in the stored value', async () => {
    await fakeBrowser.storage.local.set({ 'panel.sections': { open: { 'gone-feature': true, persona: 'yes', 'chat-lore': true } } });
    mount();
    await vi.waitFor(() => expect(expanded('Chat lore')).toBe('true'));
    expect(expanded('Persona')).toBe('false');
    act(() => header('Persona')!.click());
    await vi.waitFor(async () => expect(await panelSectionsItem.getValue()).toEqual({ open: { 'gone-feature': true, 'chat-lore': true, persona: true } }));
  });

  it('follows a change made in another tab', async () => {
    mount();
    await flush();
    await panelSectionsItem.setValue({ open: { persona: true } });
    await vi.waitFor(() => expect(expanded('Persona')).toBe('true'));
  });

  it('keeps a toggle made before the stored value was read, and the stored choices besides', async () => {
    await panelSectionsItem.setValue({ open: { 'chat-lore': true } });
    mount();
    // Synchronously after mount: the read has not resolved yet.
    act(() => header('Persona')!.click());
    const seen: (string | null)[] = [];
    const observer = new MutationObserver(() => seen.push(expanded('Persona') ?? null));
    observer.observe(root, { attributes: true, subtree: true, attributeFilter: ['aria-expanded'] });
    await vi.waitFor(() => expect(expanded('Chat lore')).toBe('true'));
    await flush();
    observer.disconnect();
    // The older read never flips the section back, not even for a frame.
    expect(seen).not.toContain('false');
    expect(expanded('Persona')).toBe('true');
    expect(await panelSectionsItem.getValue()).toEqual({ open: { 'chat-lore': true, persona: true } });
  });

  it('writes quick toggles one after another, so none is lost', async () => {
    mount();
    await flush();
    act(() => header('Persona')!.click());
    act(() => header('Chat lore')!.click());
    act(() => header('Broken summary')!.click());
    await vi.waitFor(async () => expect(await panelSectionsItem.getValue()).toEqual({ open: { persona: true, 'chat-lore': true, 'broken-summary': true } }));
  });

  it('shows a closed section\'s summary from the panel state; one that throws is left out', async () => {
    mount({ chatKey: 'k1' });
    await flush();
    expect(header('Persona')!.querySelector('.section-summary')!.textContent).toBe('chat k1');
    expect(header('Broken summary')!.querySelector('.section-summary')).toBeNull();
    expect(header('Broken summary')!.getAttribute('aria-expanded')).toBe('false');
  });
});
