import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isSectionOpen, openSectionsOf, panelSectionsItem, saveSectionOpen, type OpenSections, type SectionDefaults } from './section-state.ts';

export interface PanelSections {
  isOpen(section: SectionDefaults): boolean;
  /** Flips a section at once and stores the choice behind it. */
  toggle(section: SectionDefaults): void;
}

/**
 * The panel's open/closed sections, read from storage.local and kept in step with it (another tab,
 * another NextChat origin). Until the stored value arrives every section shows its default.
 */
export function usePanelSections(): PanelSections {
  const [open, setOpen] = useState<OpenSections>({});
  // A toggle before the first read resolves wins over that (older) read; the write brings the rest back.
  const toggled = useRef(false);
  // One write at a time: two quick toggles would otherwise both read the same old value.
  const writes = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    let live = true;
    panelSectionsItem.getValue().then((value) => { if (live && !toggled.current) setOpen(openSectionsOf(value)); }, () => undefined);
    const unwatch = panelSectionsItem.watch((value) => { if (live) setOpen(openSectionsOf(value)); });
    return () => { live = false; unwatch(); };
  }, []);

  const isOpen = useCallback((section: SectionDefaults) => isSectionOpen(open, section), [open]);
  const toggle = useCallback((section: SectionDefaults) => {
    const next = !isSectionOpen(open, section);
    toggled.current = true;
    setOpen((current) => ({ ...current, [section.id]: next }));
    // Storage failing leaves the section toggled for this page view only; nothing to tell the user.
    writes.current = writes.current.then(() => saveSectionOpen(section.id, next)).catch(() => undefined);
  }, [open]);

  return { isOpen, toggle };
}
