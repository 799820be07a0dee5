/**
 * One run of one feature: its data loaded for one chat and read again when it goes stale, its work on
 * the page, and its body in the panel. Everything a run does ends with its signal, and anything that
 * goes wrong in it stays in its own section.
 */
import { INSPECTOR_REFRESH_DELAY_MS } from '../../messaging/limits/general.ts';
import { createStore } from '../overlay/store.ts';
import { laterWhenIdle, whenIdle } from '../overlay/when-idle.ts';
import type { FeatureDefinition, FeatureRun, FeatureScope, Needs, ReloadEvent, RunHandle, RunHost } from './feature.ts';
import { useStore } from './use-store.ts';

/** Why a run's data could not be read, in words for the person. */
export interface RunFailure {
  message: string;
  /** False when trying again cannot help (the extension was updated or removed: the page needs a reload). */
  retry: boolean;
}

/**
 * Announcements that come with every request: what they make stale is read again once the request is
 * done with the page's thread (after this long, then when idle). `prompt-built` describes a request
 * whose reply may still be streaming.
 */
const REQUEST_EVENT_DELAY_MS: Partial<Record<ReloadEvent, number>> = { 'prompt-built': INSPECTOR_REFRESH_DELAY_MS, 'reply-saved': 0 };

/** The background cannot be reached from this page any more: said the same way by every feature. */
export const BACKGROUND_UNREACHABLE = 'Troupe was updated or stopped: reload the page to use it here.';

interface RunState<Data> {
  data: Data | undefined;
  loaded: boolean;
  failure: RunFailure | null;
}

export function runFeature<Data, N extends Needs>(definition: FeatureDefinition<Data, N>, scope: FeatureScope<N>, host: RunHost): FeatureRun {
  const { signal } = scope;
  const { load: read, reloadOn = [], start, Component, summary, title } = definition;
  const store = createStore<RunState<Data>>({ data: undefined, loaded: !read, failure: null });
  const fail = (error: unknown) => { if (!signal.aborted) store.set({ failure: describeFailure(error) }); };
  // Only the newest data may land: a load answering after a newer load, or after data set since (a
  // save's answer, a storage change), would put stale data back.
  let ticket = 0;
  const land = (data: Data) => { if (!signal.aborted) store.set({ data, loaded: true, failure: null }); };
  const set = (data: Data) => {
    ticket += 1;
    land(data);
  };
  const load = () => {
    if (!read || signal.aborted) return;
    const mine = ++ticket;
    // A load that throws at once fails like one that rejects.
    new Promise<Data>((resolve) => resolve(read({ ...scope, call: host.reads })))
      .then((data) => { if (mine === ticket) land(data); }, (error: unknown) => { if (mine === ticket) fail(error); });
  };

  if (read) {
    host.overlay.subscribe((event) => {
      // The background stopped while idle and woke again: anything may have changed meanwhile.
      if (event.type === 'reconnected') return whenIdle(load, signal);
      if (!reloadOn.includes(event.type) || ('chatKey' in event && event.chatKey !== scope.chatKey)) return;
      const delay = REQUEST_EVENT_DELAY_MS[event.type];
      if (delay === undefined) load();
      else laterWhenIdle(delay, load, signal);
    }, signal);
  }

  const actions = { activate: host.overlay.activate, dismissError: host.overlay.dismissError, typeSpoken: host.overlay.typeSpoken };
  if (start) {
    const guarded = (listener: () => void) => () => {
      try { listener(); } catch (error) { fail(error); }
    };
    const handle: RunHandle<Data> = {
      data: () => store.get().data,
      set,
      reload: load,
      overlay: host.overlay.state,
      watch(listener) {
        store.subscribe(guarded(listener), signal);
        host.overlay.state.subscribe(guarded(listener), signal);
      },
      fail,
      actions,
    };
    guarded(() => start(scope, handle))();
  }
  load();

  function Body() {
    const { data, loaded, failure } = useStore(store);
    const overlay = useStore(host.overlay.state);
    return (
      <>
        {failure && (
          <p class="error" role="alert">
            <span>{failure.retry ? `${title} failed: ${failure.message}` : failure.message}</span>
            {failure.retry && read && <button type="button" class="link" onClick={load}>Try again</button>}
          </p>
        )}
        {/* `loaded` says `data` holds what `load` resolved (undefined for a feature with no load). */}
        {loaded && <Component data={data as Data} scope={scope} overlay={overlay} set={set} actions={actions} />}
      </>
    );
  }

  return {
    get: () => store.get(),
    subscribe: (listener, until) => store.subscribe(listener, until),
    Body,
    summary() {
      const { data, loaded } = store.get();
      return loaded && summary ? summary(data as Data, host.overlay.state.get()) : null;
    },
  };
}

/** A failure in words; the one every feature shares when the background is out of reach. */
export function describeFailure(error: unknown): RunFailure {
  if ((error as { code?: unknown } | null)?.code === 'runtime/unreachable') return { message: BACKGROUND_UNREACHABLE, retry: false };
  return { message: error instanceof Error ? error.message : String(error), retry: true };
}
