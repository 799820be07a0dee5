/**
 * What a panel feature is: one file in features/, named for what it does (the name is its id), that
 * says what it needs, what it loads and when to load again, what it does on NextChat's page, and how
 * it looks. The feature manager (feature-manager.ts) runs it; nothing else wires it.
 */
import type { FunctionComponent } from 'preact';
import type { RuntimeEvent } from '../../messaging/ports.ts';
import type { BackgroundCall, OverlayHandle, OverlayState } from '../overlay/overlay-state.ts';
import type { ReadableStore } from '../overlay/store.ts';

/**
 * What must hold before a feature runs at all: the site confirmed (always), a NextChat chat open, or a
 * character active in it. While it does not, the feature loads nothing and its section is hidden. A
 * feature runs again, from scratch, whenever the chat (or, for `character`, the character) changes.
 */
export type Needs = 'site' | 'chat' | 'character';

/** One run of a feature: the chat it is for, the background, and its lifetime. */
export interface FeatureScope<N extends Needs = Needs> {
  /** The chat this run is for; null for a feature of the whole site. */
  readonly chatKey: N extends 'site' ? null : string;
  readonly call: BackgroundCall;
  /** Aborts when this run ends: another chat (or character) opened, or the content script ended. */
  readonly signal: AbortSignal;
}

/** Background announcements after which a feature's data is stale (those about another chat never count). */
export type ReloadEvent = RuntimeEvent['type'];

/** What a feature's component gets. */
export interface FeatureProps<Data, N extends Needs = Needs> {
  /** What `load` read (undefined for a feature that loads nothing). */
  data: Data;
  scope: FeatureScope<N>;
  /** The open chat and the interceptor as the overlay knows them now. */
  overlay: OverlayState;
  /** Replaces the data with a fresher copy, such as the answer to a save. */
  set(data: Data): void;
  actions: OverlayActions;
}

/** What features may ask of the overlay, which owns the open chat's state. */
export type OverlayActions = Pick<OverlayHandle, 'activate' | 'dismissError' | 'typeSpoken'>;

/** What a feature's `start` gets, beside its scope: its data and the overlay's state, both live. */
export interface RunHandle<Data> {
  /** The data as loaded so far; undefined until the first load. */
  data(): Data | undefined;
  set(data: Data): void;
  /** Loads the data again now (for a change `reloadOn` cannot name, such as a storage item's). */
  reload(): void;
  overlay: ReadableStore<OverlayState>;
  /** Calls `listener` whenever the data or the overlay's state changes, until the run ends. */
  watch(listener: () => void): void;
  /** Shows `error` in the feature's section (for work outside the section, such as a click on NextChat's page). */
  fail(error: unknown): void;
  actions: OverlayActions;
}

export interface FeatureDefinition<Data, N extends Needs> {
  /** The file's name: keys the section's stored open/closed state and its element ids. */
  id: string;
  /** Labels the feature's section (the header of a collapsible one). */
  title: string;
  needs: N;
  /** Reads the feature's data for its scope; again after each announcement in `reloadOn`, and after the background restarted. */
  load?: (scope: FeatureScope<N>) => Promise<Data>;
  reloadOn?: readonly ReloadEvent[];
  /** Work beyond the section for as long as the run lasts (NextChat's page, a storage item); stops with `scope.signal`. */
  start?: (scope: FeatureScope<N>, run: RunHandle<Data>) => void;
  Component: FunctionComponent<FeatureProps<Data, N>>;
  /** False: always shown, with no header (for a line that makes no sense hidden). Collapsible when absent. */
  collapsible?: boolean;
  /** Open before the person first toggles it; closed when absent, so a new feature does not lengthen the panel. */
  defaultOpen?: boolean;
  /** A few words for the header while the section is closed (e.g. "depth 4"); null for none. Runs on every update: keep it cheap. */
  summary?: (data: Data, overlay: OverlayState) => string | null;
}

/** A run as the panel sees it (feature-run.tsx): changes whenever its data or failure does. */
export interface FeatureRun extends ReadableStore<unknown> {
  /** The section's body: the feature's component with the run's data, under the line saying what failed. */
  Body: FunctionComponent;
  summary(): string | null;
}

/** What the manager gives every run: the overlay, the call loads go through, and how a run is made. */
export interface RunHost {
  overlay: OverlayHandle;
  /** For loads: reads issued together (every feature asking for the chat's settings as it opens) share one call. */
  reads: BackgroundCall;
  run<Data, N extends Needs>(definition: FeatureDefinition<Data, N>, scope: FeatureScope<N>, host: RunHost): FeatureRun;
}

/** A feature as the manager holds it, whatever its data: what it needs, and how to start one run. */
export interface PanelFeature {
  readonly id: string;
  readonly title: string;
  readonly needs: Needs;
  readonly collapsible?: boolean;
  readonly defaultOpen?: boolean;
  run(scope: FeatureScope, host: RunHost): FeatureRun;
}

/**
 * Declares a feature. `Data` is what its `load` resolves with; a feature without `load` has none.
 *
 * @example
 *   export const authorNote = defineFeature({
 *     id: 'author-note', title: "Author's note", needs: 'chat',
 *     load: ({ chatKey, call }) => call('chat.settings.get', { chatKey }),
 *     reloadOn: ['chat-changed'],
 *     Component: AuthorNote,
 *   });
 */
export function defineFeature<Data = undefined, N extends Needs = Needs>(definition: FeatureDefinition<Data, N>): PanelFeature {
  const { id, title, needs, collapsible, defaultOpen } = definition;
  return {
    id, title, needs, collapsible, defaultOpen,
    // The manager starts a run only while `needs` holds, so the scope it passes is this feature's.
    run: (scope, host) => host.run(definition, scope as FeatureScope<N>, host),
  };
}
