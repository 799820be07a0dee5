import type { FunctionComponent } from 'preact';

/**
 * One panel feature: a self-contained section. `id` is the file name; `title` labels its section
 * for screen readers. A feature that throws is shown as failed without taking the panel down.
 */
export interface PanelFeature {
  id: string;
  title: string;
  Component: FunctionComponent;
}
