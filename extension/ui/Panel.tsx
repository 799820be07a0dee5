import { useEffect, useState } from 'preact/hooks';
import { PANEL_FEATURES } from '../features/index.ts';
import { useOverlay } from './overlay-context.ts';
import { FeatureBoundary } from './feature-boundary.tsx';
import { SELECTORS } from '../lib/nextchat/selectors.ts';
import { computePlacement, type Placement } from './placement.ts';

/** Troupe's panel beside NextChat: a small toggle that opens the features, in NextChat's theme. */
export function Panel({ signal }: { signal: AbortSignal }) {
  const { state } = useOverlay();
  const [open, setOpen] = useState(false);
  const placement = usePlacement(signal);
  const character = state.chat?.character;

  return (
    <div class={`troupe ${state.theme}`} style={{ top: `${placement.top}px`, right: `${placement.right}px` }}>
      <button type="button" class="toggle" aria-expanded={open} aria-controls="troupe-body" aria-label="Troupe panel" onClick={() => setOpen(!open)}>
        <span aria-hidden="true">🎭</span> {character ? character.name : 'Troupe'}
        {state.lastError && <span class="dot" aria-hidden="true" />}
      </button>
      {open && (
        <section id="troupe-body" class="body" role="complementary" aria-label="Troupe" style={{ maxHeight: `${placement.maxHeight - 44}px` }}>
          {PANEL_FEATURES.map(({ id, title, Component }) => (
            <section key={id} class={`feature feature-${id}`} aria-label={title}>
              <FeatureBoundary title={title}><Component /></FeatureBoundary>
            </section>
          ))}
        </section>
      )}
    </div>
  );
}

/** Recomputes the placement when the window or NextChat's layout changes, until `signal` aborts. */
function usePlacement(signal: AbortSignal): Placement {
  const measure = () => computePlacement(document, window.innerWidth, window.innerHeight);
  const [placement, setPlacement] = useState(measure);
  useEffect(() => {
    const update = () => setPlacement(measure());
    const observer = new ResizeObserver(update);
    observer.observe(document.documentElement);
    const inputPanel = document.querySelector(SELECTORS.inputPanel);
    if (inputPanel) observer.observe(inputPanel);
    window.addEventListener('resize', update, { signal });
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
    return () => { observer.disconnect(); window.removeEventListener('resize', update); };
  }, [signal]);
  return placement;
}
