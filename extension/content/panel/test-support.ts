/**
 * Tests only: a panel feature run the way the panel runs it (the feature manager, its section), on an
 * overlay whose background is a fake that records every call and listener, so a test can say what the
 * feature loads, sends and shows, and that it stops.
 */
import { h, options, render } from 'preact';
import { act } from 'preact/test-utils';
import { expect, vi } from 'vitest';
import type { CharacterSummary } from '../../messaging/library-wire.ts';
import { DEFAULT_CHAT_SETTINGS, EMPTY_PERSONA, type ChatSettings, type PersonaSettings } from '../../messaging/chat-settings.ts';
import type { ChatSettingsView } from '../../messaging/protocols/chat-protocol.ts';
import { activateCharacter } from '../overlay/open-chat.ts';
import { typeSpoken } from '../nextchat/voice-typing.ts';
import { INITIAL_OVERLAY_STATE, type BackgroundEvent, type OverlayHandle, type OverlayState } from '../overlay/overlay-state.ts';
import { fakeBackground, idleLikeABrowser, type FakeBackground } from '../overlay/test-support.ts';
import { createStore, type Store } from '../overlay/store.ts';
import type { PanelFeature } from './feature.ts';
import { startFeatures } from './feature-manager.ts';
import { FeatureSections } from './FeatureSections.tsx';
import type { PanelSections } from './use-panel-sections.ts';

export { fakeBackground, type FakeBackground };

export const MIRA: CharacterSummary = { id: 'mira', name: 'Mira', description: 'A cartographer.', avatar: null, updatedAt: 1 };
export const BO: CharacterSummary = { id: 'bo', name: 'Bo', description: 'A retired sailor.', avatar: null, updatedAt: 1 };

/**
 * Keeps chats' settings in `background` as the real one does: `chat.settings.get` answers them (the
 * defaults until saved, with `greetings` and the default persona given here), `chat.settings.update`
 * applies a patch and answers the result. Returns the saved settings by chat, for assertions.
 */
export function keepChatSettings(background: FakeBackground, { greetings = [], defaultPersona = EMPTY_PERSONA, saved = {} }: {
  greetings?: string[]; defaultPersona?: PersonaSettings; saved?: Record<string, Partial<ChatSettings>>;
} = {}): Map<string, ChatSettings> {
  const chats = new Map(Object.entries(saved).map(([key, settings]) => [key, { ...DEFAULT_CHAT_SETTINGS, ...settings }]));
  let fallback = defaultPersona;
  const view = (chatKey: string): ChatSettingsView => ({ chatKey, settings: chats.get(chatKey) ?? DEFAULT_CHAT_SETTINGS, defaultPersona: fallback, greetings });
  background.answer('chat.settings.get', ({ chatKey }) => view(chatKey));
  background.answer('chat.settings.update', ({ chatKey, defaultPersona: nextDefault, ...patch }) => {
    chats.set(chatKey, { ...(chats.get(chatKey) ?? DEFAULT_CHAT_SETTINGS), ...patch });
    if (nextDefault) fallback = nextDefault;
    return view(chatKey);
  });
  return chats;
}

export interface MountedFeature {
  background: FakeBackground;
  overlay: Store<OverlayState>;
  /** The feature's section in the panel: its body, without the header. */
  section(): HTMLElement;
  /** What its closed section's header says beside the title; null for nothing. */
  summary(): string | null;
  /** NextChat opens another chat (or none), with `character` active in it. */
  openChat(chatKey: string | null, character?: CharacterSummary | null): void;
  /** The content script ends (navigation, an extension update): every run's signal aborts. */
  end(): void;
  unmount(): void;
}

/** Sections all open (what a feature shows) or all closed (its header's summary). */
const sectionsThat = (open: boolean): PanelSections => ({ isOpen: () => open, toggle: () => {} });

/**
 * Runs `feature` in a panel on a confirmed site, with chat `chatKey` open and `character` active in it
 * (the defaults: chat `o#1`, no character).
 */
/**
 * Effects run right after each render, as a browser runs them before the person's next action (a
 * frame later); happy-dom's frames would otherwise let a test act between a render and its effects.
 */
function effectsBeforeTheNextAction(): void {
  options.requestAnimationFrame = (flush) => void Promise.resolve().then(flush);
}

export function mountFeature(feature: PanelFeature, { background = fakeBackground(), chatKey = 'o#1', character = null, logCount = 0, closed = false }: {
  background?: FakeBackground; chatKey?: string | null; character?: CharacterSummary | null; logCount?: number; closed?: boolean;
} = {}): MountedFeature {
  idleLikeABrowser();
  effectsBeforeTheNextAction();
  const chatOf = (key: string | null, who: CharacterSummary | null) => (key ? { chatKey: key, character: who, logCount } : null);
  const overlay = createStore<OverlayState>({ ...INITIAL_OVERLAY_STATE, site: 'confirmed', interceptor: 'connected', chatKey, chat: chatOf(chatKey, character) });
  const ended = new AbortController();
  const handle: OverlayHandle = {
    state: overlay,
    call: background.call,
    subscribe: background.subscribe,
    confirmSite: async () => {},
    activate: (characterId) => activateCharacter(overlay, background.call, characterId),
    dismissError: () => overlay.set({ lastError: null }),
    typeSpoken: (text, send) => typeSpoken(document, text, send),
  };
  const slots = startFeatures([feature], handle, ended.signal);
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(h(FeatureSections, { slots, sections: sectionsThat(!closed) }), root));
  return {
    background,
    overlay,
    section: () => root.querySelector<HTMLElement>(`.feature-${feature.id} > .section-body`) ?? root.querySelector<HTMLElement>(`.feature-${feature.id}`)!,
    summary: () => root.querySelector(`.feature-${feature.id} .section-summary`)?.textContent ?? null,
    openChat: (key, who = null) => overlay.set({ chatKey: key, chat: chatOf(key, who) }),
    end: () => ended.abort(),
    unmount() {
      ended.abort();
      act(() => render(null, root));
      root.remove();
    },
  };
}

/**
 * Ends the content script under a mounted feature and checks that it stopped: no listener left, and
 * `events` (which would make it load again) answered with no call.
 */
export async function expectStopped(mounted: MountedFeature, events: BackgroundEvent[]): Promise<void> {
  const made = mounted.background.calls.length;
  mounted.end();
  // Its section empties once the panel re-renders, and the listeners its component held go with it.
  await vi.waitFor(() => {
    expect(mounted.section().textContent).toBe('');
    expect(mounted.background.listeners()).toBe(0);
  });
  for (const event of events) mounted.background.emit(event);
  expect(mounted.background.calls).toHaveLength(made);
}

// A person's actions, each followed by the re-render a browser would paint before the next one.

/** Types `text` into a field (Preact listens to `input`). */
export function typeInto(field: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  act(() => {
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Picks `value` in a <select>. */
export function choose(select: HTMLSelectElement, value: string): void {
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/** Picks `files` in a file input. */
export function pickFiles(input: HTMLInputElement, files: File[]): void {
  act(() => {
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/** Clicks `element`. */
export function click(element: HTMLElement): void {
  act(() => element.click());
}

/** Clicks the button `name` within `root` once it is there and enabled, as a person waits to. */
export async function press(root: () => ParentNode, name: string): Promise<void> {
  const target = await vi.waitFor(() => {
    const found = button(root(), name);
    expect(found.disabled).toBe(false);
    return found;
  });
  click(target);
}

/** The button whose text (or label) is `name`, within `root`. */
export function button(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

/** The form field labelled `name` (its <label> wraps it; the label's own text is the name), within `root`. */
export function field<T extends HTMLElement = HTMLInputElement>(root: ParentNode, name: string): T {
  const ownText = (label: HTMLLabelElement) => [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
  const label = [...root.querySelectorAll('label')].find((l) => ownText(l) === name);
  const control = label?.querySelector<T>('input, textarea, select');
  if (!control) throw new Error(`no field "${name}"`);
  return control;
}
