import type { FunctionComponent } from 'preact';
import type { OverlayState } from '../../overlay/overlay-state.ts';

/**
 * One panel feature: a self-contained section. `id` is the file name; `title` labels its section
 * (the header of a collapsible one). A feature that throws is shown as failed without taking the
 * panel down; one that renders nothing gets no section at all.
 */
export interface PanelFeature {
  id: string;
  title: string;
  Component: FunctionComponent;
  /** False: always shown, with no header (for a line that makes no sense hidden). Collapsible when absent. */
  collapsible?: boolean;
  /** Open before the user first toggles it; closed when absent, so a new feature does not lengthen the panel. */
  defaultOpen?: boolean;
  /** A few words shown in the header while the section is closed (e.g. "depth 4"); null for none. Keep it cheap: it runs on every panel update. */
  summary?: (state: OverlayState) => string | null;
}
