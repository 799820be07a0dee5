import { storage } from '#imports';

/** Which panel sections the user opened or closed, by feature id. */
export type OpenSections = Readonly<Record<string, boolean>>;

/** The stored shape (version 1 of `local:panel.sections`). */
export interface StoredPanelSections { open: OpenSections }

/** How a section behaves before the user chooses: the subset of a panel feature this module needs. */
export interface SectionDefaults {
  id: string;
  /** False for a section that is always shown without a header (a one-line status, say). */
  collapsible?: boolean;
  /** Whether the section starts open before the user ever toggles it; closed when absent. */
  defaultOpen?: boolean;
}

/**
 * Open/closed per section. storage.local belongs to the extension, not to the page, so one choice
 * holds on every NextChat origin and survives reloads. Ids this build does not know are kept as
 * they are (another build may know them) and ignored.
 */
export const panelSectionsItem = storage.defineItem<StoredPanelSections>('local:panel.sections', { fallback: { open: {} }, version: 1 });

/**
 * The boolean entries of a stored value, whatever it holds: the value is written by this extension
 * but may come from an older or newer build, so anything else is dropped rather than trusted.
 */
export function openSectionsOf(stored: unknown): OpenSections {
  const open = (stored as { open?: unknown } | null | undefined)?.open;
  if (typeof open !== 'object' || open === null || Array.isArray(open)) return {};
  return Object.fromEntries(Object.entries(open).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'));
}

/** Whether a section shows its body: the user's last choice, else the section's default. */
export function isSectionOpen(open: OpenSections, section: SectionDefaults): boolean {
  if (section.collapsible === false) return true;
  return Object.hasOwn(open, section.id) ? open[section.id] === true : section.defaultOpen === true;
}

/**
 * Stores one section's state on top of what is stored now (not what this tab last saw), so choices
 * made in another tab survive. Resolves with the stored map.
 */
export async function saveSectionOpen(id: string, value: boolean): Promise<OpenSections> {
  const open = { ...openSectionsOf(await panelSectionsItem.getValue()), [id]: value };
  await panelSectionsItem.setValue({ open });
  return open;
}
