/**
 * Troupe's panel beside NextChat: a small toggle that opens the features, in NextChat's theme, placed
 * so it hides none of NextChat's messages, its input or its send button.
 */
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { usePanel } from './panel-context.ts';
import { FeatureSections } from './FeatureSections.tsx';
import { usePanelSections } from './use-panel-sections.ts';
import { useStore } from './use-store.ts';
import { useChatPlacement, useNextChatTheme } from './use-nextchat-look.ts';
import { GAP } from '../nextchat/placement.ts';
import { reserveChatSpace } from '../nextchat/layout.ts';

/** The panel's width beside the chat (panel.css `.troupe`). */
const PANEL_WIDTH = 300;

export function Panel({ signal }: { signal: AbortSignal }) {
  const { overlay, features } = usePanel();
  const state = useStore(overlay.state);
  // A site not confirmed yet: the panel is open from the start, to ask.
  const [open, setOpen] = useState(state.site === 'unconfirmed');
  const theme = useNextChatTheme(signal);
  const placement = useChatPlacement(signal);
  const character = state.chat?.character;
  // Read here, not in the body, so the stored sections are known before the panel first opens.
  const sections = usePanelSections();
  // Beside the chat, the open panel takes its own column: NextChat's messages reflow to its left, so it
  // hides none of them. On a phone there is no room for that: it is a sheet over the chat, closed with
  // its Close button or Escape.
  useEffect(() => {
    if (!open || placement.narrow) return;
    return reserveChatSpace(document, PANEL_WIDTH + 2 * GAP);
  }, [open, placement.narrow]);
  // A layout effect: attached in the render that opens the sheet, so an Escape pressed right after it
  // opened is not lost (a plain effect waits for the next frame).
  useLayoutEffect(() => {
    if (!open || !placement.narrow) return;
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') setOpen(false); };
    document.addEventListener('keydown', onKey, { signal });
    return () => document.removeEventListener('keydown', onKey);
  }, [open, placement.narrow, signal]);

  return (
    // The whole panel (toggle and body) stays within maxHeight; the body scrolls inside what is left.
    <div class={`troupe ${theme}${placement.narrow ? ' sheet' : ''}`} style={{ top: `${placement.top}px`, right: `${placement.right}px`, maxHeight: `${placement.maxHeight}px` }}>
      <button type="button" class="toggle" aria-expanded={open} aria-controls="troupe-body" aria-label="Troupe panel" onClick={() => setOpen(!open)}>
        <TroupeIcon /> {character ? character.name : 'Troupe'}
        {state.lastError && <span class="dot" aria-hidden="true" />}
      </button>
      {open && (
        <section id="troupe-body" class="body" role="complementary" aria-label="Troupe">
          {placement.narrow && <button type="button" class="sheet-close" onClick={() => setOpen(false)}>Close</button>}
          {state.site === 'confirmed'
            ? <FeatureSections slots={features} sections={sections} />
            : <ConfirmSite origin={location.origin} onConfirm={() => void overlay.confirmSite()} />}
        </section>
      )}
    </div>
  );
}

/**
 * The one question per site: Troupe reads this NextChat's chats and adds characters to what is sent
 * only after the person says yes here (a trusted click; the panel ignores a script's).
 */
function ConfirmSite({ origin, onConfirm }: { origin: string; onConfirm: () => void }) {
  return (
    <div class="create" role="group" aria-label="Use Troupe on this site">
      <p>Use Troupe on <strong>{origin}</strong>?</p>
      <p class="muted small">Troupe will follow this NextChat's chats and add the character you pick to the messages you send here. Until you say yes it does nothing on this site.</p>
      <button type="button" class="primary" onClick={onConfirm}>Use Troupe here</button>
    </div>
  );
}

/** Two overlapping heads: a small mark that reads as "characters" at 16 px without an emoji font. */
function TroupeIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
      <circle cx="6" cy="5" r="2.6" />
      <path d="M1 13.5c0-2.8 2.2-4.6 5-4.6s5 1.8 5 4.6z" />
      <circle cx="11.2" cy="4.4" r="2" opacity=".55" />
      <path d="M10.4 8.3c2.6-.3 4.6 1.3 4.6 3.9h-3.3c-.2-1.6-.6-2.8-1.3-3.9z" opacity=".55" />
    </svg>
  );
}
