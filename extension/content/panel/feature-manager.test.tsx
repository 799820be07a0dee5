import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { DEFAULT_CHAT_SETTINGS } from '../../messaging/chat-settings.ts';
import { INITIAL_OVERLAY_STATE, type OverlayState } from '../overlay/overlay-state.ts';
import { defineFeature, type FeatureProps, type FeatureScope } from './feature.ts';
import { runKey, sharedReads, startFeatures } from './feature-manager.ts';
import { fakeBackground, MIRA, BO, mountFeature, type MountedFeature } from './test-support.ts';
import { createStore } from '../overlay/store.ts';
import { FeatureSections } from './FeatureSections.tsx';

let mounted: MountedFeature[] = [];
afterEach(() => {
  for (const m of mounted) m.unmount();
  mounted = [];
});

const state = (patch: Partial<OverlayState>): OverlayState => ({ ...INITIAL_OVERLAY_STATE, site: 'confirmed', ...patch });

describe('runKey: the guards every feature shares', () => {
  it('runs nothing before the person confirmed the site', () => {
    for (const needs of ['site', 'chat', 'character'] as const) expect(runKey(needs, state({ site: 'unconfirmed', chatKey: 'o#1' }))).toBeNull();
  });

  it('gives a chat feature one run per chat, and a character feature one per chat and character', () => {
    const withMira = state({ chatKey: 'o#1', chat: { chatKey: 'o#1', character: MIRA, logCount: 0 } });
    expect(runKey('site', state({}))).toBe('site');
    expect(runKey('chat', state({}))).toBeNull();
    expect(runKey('chat', withMira)).toBe('o#1');
    expect(runKey('character', state({ chatKey: 'o#1' }))).toBeNull();
    expect(runKey('character', withMira)).toBe('o#1\nmira');
    expect(runKey('character', state({ chatKey: 'o#1', chat: { chatKey: 'o#1', character: BO, logCount: 3 } }))).toBe('o#1\nbo');
    // The chat read for another key (a switch in flight) has no character of this chat's yet.
    expect(runKey('character', state({ chatKey: 'o#2', chat: { chatKey: 'o#1', character: MIRA, logCount: 0 } }))).toBeNull();
  });
});

describe('startFeatures', () => {
  it('gives each run a signal that ends with its chat, and with the content script', () => {
    const scopes: FeatureScope<'chat'>[] = [];
    const probe = defineFeature({ id: 'probe', title: 'Probe', needs: 'chat', start: (scope) => { scopes.push(scope); }, Component: () => null });
    const overlay = createStore(state({ chatKey: 'o#1' }));
    const ended = new AbortController();
    const background = fakeBackground();
    startFeatures([probe], { state: overlay, call: background.call, subscribe: background.subscribe, confirmSite: async () => {}, activate: async () => {}, dismissError: () => {}, typeSpoken: () => 'typed' }, ended.signal);
    expect(scopes.map((s) => s.chatKey)).toEqual(['o#1']);
    overlay.set({ lastRequest: { characterName: 'Mira', at: 1 } });
    expect(scopes).toHaveLength(1);
    overlay.set({ chatKey: 'o#2' });
    expect(scopes.map((s) => [s.chatKey, s.signal.aborted])).toEqual([['o#1', true], ['o#2', false]]);
    ended.abort();
    expect(scopes[1]!.signal.aborted).toBe(true);
    overlay.set({ chatKey: 'o#3' });
    expect(scopes).toHaveLength(2);
  });

  it('keeps a broken feature\'s failure in its own section: a throwing start, load or component breaks no other', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fine = defineFeature({ id: 'fine', title: 'Fine', needs: 'site', load: async () => 'all well', Component: ({ data }: FeatureProps<string, 'site'>) => <p>{data}</p> });
    const badStart = defineFeature({ id: 'bad-start', title: 'Bad start', needs: 'site', start: () => { throw new Error('start broke'); }, Component: () => <p>still here</p> });
    const badLoad = defineFeature({ id: 'bad-load', title: 'Bad load', needs: 'site', load: () => { throw new Error('load broke'); }, Component: () => <p>never</p> });
    const badView = defineFeature({ id: 'bad-view', title: 'Bad view', needs: 'site', Component: () => { throw new Error('render broke'); } });
    const background = fakeBackground();
    const overlay = createStore(state({}));
    const ended = new AbortController();
    const slots = startFeatures([badStart, badLoad, badView, fine], { state: overlay, call: background.call, subscribe: background.subscribe, confirmSite: async () => {}, activate: async () => {}, dismissError: () => {}, typeSpoken: () => 'typed' }, ended.signal);
    const root = document.createElement('div');
    document.body.append(root);
    act(() => render(<FeatureSections slots={slots} sections={{ isOpen: () => true, toggle: () => {} }} />, root));
    const body = (id: string) => root.querySelector(`#troupe-section-${id}`)!.textContent;
    await vi.waitFor(() => expect(body('fine')).toBe('all well'));
    expect(body('bad-start')).toBe('Bad start failed: start brokestill here');
    expect(body('bad-load')).toBe('Bad load failed: load brokeTry again');
    expect(body('bad-view')).toBe('Bad view failed: render broke');
    ended.abort();
    act(() => render(null, root));
    root.remove();
    error.mockRestore();
  });

  it('hears only the announcements about its own chat, and reads everything again after the background restarted', async () => {
    const background = fakeBackground();
    background.answer('chat.settings.get', ({ chatKey }) => ({ chatKey, settings: DEFAULT_CHAT_SETTINGS, defaultPersona: { name: '', description: '' }, greetings: [] }));
    const reader = defineFeature({ id: 'reader', title: 'Reader', needs: 'chat', load: ({ chatKey, call }) => call('chat.settings.get', { chatKey }), reloadOn: ['chat-changed'], Component: () => <p>read</p> });
    mounted.push(mountFeature(reader, { background }));
    await vi.waitFor(() => expect(mounted[0]!.section().textContent).toBe('read'));
    background.emit({ type: 'chat-changed', chatKey: 'o#2' });
    background.emit({ type: 'personas-changed' });
    expect(background.callsOf('chat.settings.get')).toHaveLength(1);
    background.emit({ type: 'reconnected' });
    await vi.waitFor(() => expect(background.callsOf('chat.settings.get')).toHaveLength(2));
  });
});

describe('sharedReads', () => {
  it('shares one call among identical reads issued together, and asks anew for one issued later', async () => {
    const background = fakeBackground();
    background.answer('personas.list', () => []);
    const reads = sharedReads(background.call);
    const together = [reads('personas.list', {}), reads('personas.list', {}), reads('chat.settings.get', { chatKey: 'o#1' }).catch(() => null)];
    expect(together[0]).toBe(together[1]);
    expect(background.calls.map((c) => c.type)).toEqual(['personas.list', 'chat.settings.get']);
    await Promise.all(together);
    await reads('personas.list', {});
    expect(background.callsOf('personas.list')).toHaveLength(2);
  });
});
