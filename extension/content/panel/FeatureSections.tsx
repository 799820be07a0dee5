/**
 * Every feature in its own section, in order: collapsible ones under a header that remembers whether
 * it is open, the others as they are. A feature needs no wiring beyond its line in features/index.ts.
 */
import type { FeatureSlot } from './feature-manager.ts';
import type { FeatureRun } from './feature.ts';
import { FeatureBoundary } from './feature-boundary.tsx';
import { PanelSection } from '../../ui/PanelSection.tsx';
import type { PanelSections } from './use-panel-sections.ts';
import { useStore } from './use-store.ts';
import { createStore } from '../overlay/store.ts';

export function FeatureSections({ slots, sections }: { slots: readonly FeatureSlot[]; sections: PanelSections }) {
  return <>{slots.map((slot) => <FeatureSection key={slot.feature.id} slot={slot} sections={sections} />)}</>;
}

/** Stands in for a run while there is none, so the section's hooks are the same either way. */
const NO_RUN = createStore({});

function FeatureSection({ slot: { feature, current }, sections }: { slot: FeatureSlot; sections: PanelSections }) {
  const { run, key } = useStore(current);
  // Re-renders the header when the run's data changes (its summary).
  useStore(run ?? NO_RUN);
  const { id, title } = feature;
  // Keyed by run: another chat starts from a fresh boundary and a fresh component.
  const body = run && <FeatureBoundary key={key} title={title}><run.Body /></FeatureBoundary>;
  if (feature.collapsible === false) return <section class={`feature feature-${id}`} aria-label={title}>{body}</section>;
  const open = sections.isOpen(feature);
  return (
    <PanelSection id={id} title={title} open={open} summary={open || !run ? null : summaryOf(run)} onToggle={() => sections.toggle(feature)}>
      {body}
    </PanelSection>
  );
}

/** A summary that throws is left out: it is decoration, and the section itself still works. */
function summaryOf(run: FeatureRun): string | null {
  try {
    return run.summary();
  } catch {
    return null;
  }
}
