/** How the panel's components reach the overlay and the running features (given once, at mount). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { OverlayHandle } from '../overlay/overlay-state.ts';
import type { FeatureSlot } from './feature-manager.ts';

export interface PanelContextValue { overlay: OverlayHandle; features: readonly FeatureSlot[] }

export const PanelContext = createContext<PanelContextValue | null>(null);

export function usePanel(): PanelContextValue {
  const context = useContext(PanelContext);
  if (!context) throw new Error('usePanel outside the Troupe panel');
  return context;
}
