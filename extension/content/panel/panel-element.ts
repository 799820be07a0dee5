/** The panel's host element (its shadow root's host): keys pressed inside the panel reach the page retargeted to it. */
export const PANEL_ELEMENT_NAME = 'troupe-panel';
