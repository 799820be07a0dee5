import type { PanelFeature } from './features/feature.ts';
import type { OverlayState } from '../overlay/overlay-state.ts';
import { FeatureBoundary } from './feature-boundary.tsx';
import { PanelSection } from '../../ui/PanelSection.tsx';
import type { PanelSections } from './use-panel-sections.ts';

/**
 * Every feature in its own section, in order: collapsible ones under a header that remembers
 * whether it is open, the others as they are. A feature needs no wiring beyond its registration.
 */
export function FeatureSections({ features, state, sections }: { features: readonly PanelFeature[]; state: OverlayState; sections: PanelSections }) {
  return (
    <>
      {features.map((feature) => {
        const { id, title, Component } = feature;
        const body = <FeatureBoundary title={title}><Component /></FeatureBoundary>;
        if (feature.collapsible === false) return <section key={id} class={`feature feature-${id}`} aria-label={title}>{body}</section>;
        const open = sections.isOpen(feature);
        return (
          <PanelSection key={id} id={id} title={title} open={open} summary={open ? null : summaryOf(feature, state)} onToggle={() => sections.toggle(feature)}>
            {body}
          </PanelSection>
        );
      })}
    </>
  );
}

/** A summary that throws is left out: it is decoration, and the section itself still works. */
function summaryOf(feature: PanelFeature, state: OverlayState): string | null {
  try {
    return feature.summary?.(state) ?? null;
  } catch {
    return null;
  }
}
