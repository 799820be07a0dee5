import type { ComponentChildren } from 'preact';

export interface PanelSectionProps {
  /** The feature id: unique in the panel, so it makes the ids aria-controls needs. */
  id: string;
  title: string;
  open: boolean;
  /** Shown beside the title while closed; null for none. */
  summary: string | null;
  onToggle(): void;
  children: ComponentChildren;
}

/**
 * A disclosure: a header button (aria-expanded, aria-controls) that shows or hides the body. The
 * body stays mounted while hidden, so a half-typed form survives closing its section, and a feature
 * that renders nothing leaves the body empty, which hides the whole section (panel.css).
 */
export function PanelSection({ id, title, open, summary, onToggle, children }: PanelSectionProps) {
  const headerId = `troupe-section-${id}-header`;
  const bodyId = `troupe-section-${id}`;
  const summaryId = `troupe-section-${id}-summary`;
  const showSummary = !open && summary !== null && summary !== '';
  return (
    <section class={`feature feature-${id} collapsible`} aria-labelledby={headerId}>
      <h3 class="section-heading">
        <button
          type="button"
          id={headerId}
          class="section-toggle"
          aria-expanded={open}
          aria-controls={bodyId}
          aria-describedby={showSummary ? summaryId : undefined}
          onClick={onToggle}
        >
          <Chevron />
          <span class="section-title">{title}</span>
          {/* Hidden from the name (the name stays the title) and read as the description instead. */}
          {showSummary && <span id={summaryId} class="section-summary" aria-hidden="true">{summary}</span>}
        </button>
      </h3>
      <div id={bodyId} class="section-body" hidden={!open}>{children}</div>
    </section>
  );
}

/** A right-pointing triangle, turned down by CSS when the section is open. */
function Chevron() {
  return (
    <svg class="chevron" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" fill="currentColor">
      <path d="M3 1.5 7.5 5 3 8.5z" />
    </svg>
  );
}
