/**
 * NextChat's theme, so Troupe's panel looks like part of it. NextChat puts `light` or `dark` on <body>
 * when the person picked one in its settings and follows the system colour scheme when set to auto.
 */
import { observe } from './observe.ts';
import { SELECTORS } from './selectors.ts';

export type Theme = 'light' | 'dark';

/** The media query NextChat's auto theme follows. */
const SYSTEM_DARK = '(prefers-color-scheme: dark)';

/** NextChat's effective theme, given whether the system prefers dark. */
export function nextChatTheme(doc: Document, prefersDark: boolean): Theme {
  if (doc.querySelector(SELECTORS.darkTheme)) return 'dark';
  if (doc.querySelector(SELECTORS.lightTheme)) return 'light';
  return prefersDark ? 'dark' : 'light';
}

/** NextChat's theme now, in `view` (the window whose colour scheme applies). */
export function readTheme(doc: Document, view: Pick<Window, 'matchMedia'>): Theme {
  return nextChatTheme(doc, view.matchMedia(SYSTEM_DARK).matches);
}

/**
 * Calls `onTheme` with NextChat's theme now and whenever it changes (NextChat's setting or, on auto,
 * the system's colour scheme), until `signal` aborts.
 */
export function followTheme(doc: Document, view: Pick<Window, 'matchMedia'>, onTheme: (theme: Theme) => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const media = view.matchMedia(SYSTEM_DARK);
  let last: Theme | null = null;
  const update = () => {
    if (signal.aborted) return;
    const theme = nextChatTheme(doc, media.matches);
    if (theme === last) return;
    last = theme;
    onTheme(theme);
  };
  for (const selector of [SELECTORS.darkTheme, SELECTORS.lightTheme]) {
    observe(selector, (_body, gone) => {
      update();
      gone.addEventListener('abort', update, { once: true });
    }, { signal, root: doc });
  }
  media.addEventListener('change', update, { signal });
  update();
}
