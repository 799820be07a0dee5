import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Store } from '../overlay/store.ts';
import type { OverlayActions, OverlayState } from '../overlay/overlay-state.ts';

export interface OverlayContextValue { store: Store<OverlayState>; actions: OverlayActions }

export const OverlayContext = createContext<OverlayContextValue | null>(null);

/** The panel's state and actions; re-renders the calling component when the state changes. */
export function useOverlay(): { state: OverlayState; actions: OverlayActions } {
  const context = useContext(OverlayContext);
  if (!context) throw new Error('useOverlay outside the Troupe panel');
  const [state, setState] = useState(context.store.get());
  useEffect(() => context.store.subscribe(setState), [context.store]);
  return { state, actions: context.actions };
}
