/** The lorebook entry form's fields, and how they map to a CCv3 entry with SillyTavern's settings in `extensions`. */
import type { LorebookEntry } from '@troupe/shared/cards';

/** SillyTavern's secondary-key logic (`extensions.selectiveLogic`). */
export const SELECTIVE_LOGIC = [
  [0, 'AND ANY: any secondary key'],
  [1, 'NOT ALL: not all secondary keys'],
  [2, 'NOT ANY: no secondary key'],
  [3, 'AND ALL: every secondary key'],
] as const;

/** SillyTavern's insertion positions (`extensions.position`). */
export const POSITIONS = [
  [0, 'Before character definition'],
  [1, 'After character definition'],
  [2, "Top of author's note"],
  [3, "Bottom of author's note"],
  [4, 'At depth'],
  [5, 'Before example messages'],
  [6, 'After example messages'],
  [7, 'Outlet'],
] as const;

export interface EntryDraft {
  keys: string;
  secondaryKeys: string;
  selectiveLogic: number;
  constant: boolean;
  enabled: boolean;
  order: number;
  position: number;
  depth: number;
  probability: number;
  content: string;
  comment: string;
}

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

/** The form's view of an entry (SillyTavern's defaults where the entry says nothing). */
export function entryDraft(entry: LorebookEntry | null): EntryDraft {
  const ext = entry?.extensions ?? {};
  return {
    keys: (entry?.keys ?? []).join('\n'),
    secondaryKeys: (entry?.secondary_keys ?? []).join('\n'),
    selectiveLogic: numberOr(ext['selectiveLogic'], 0),
    constant: entry?.constant ?? false,
    enabled: entry?.enabled ?? true,
    order: entry?.insertion_order ?? 100,
    position: numberOr(ext['position'], entry?.position === 'after_char' ? 1 : 0),
    depth: numberOr(ext['depth'], 4),
    probability: numberOr(ext['probability'], 100),
    content: entry?.content ?? '',
    comment: entry?.comment ?? '',
  };
}

/** The entry with the form's values; every field the form does not show is kept as it was. */
export function applyEntryDraft(entry: LorebookEntry | null, draft: EntryDraft): LorebookEntry {
  const secondary = lines(draft.secondaryKeys);
  return {
    use_regex: true,
    ...entry,
    keys: lines(draft.keys),
    secondary_keys: secondary,
    selective: secondary.length > 0 || (entry?.selective ?? false),
    constant: draft.constant,
    enabled: draft.enabled,
    insertion_order: draft.order,
    position: draft.position === 0 ? 'before_char' : 'after_char',
    content: draft.content,
    comment: draft.comment,
    extensions: { ...entry?.extensions, position: draft.position, depth: draft.depth, probability: draft.probability, selectiveLogic: draft.selectiveLogic },
  };
}

/** How an entry is named in the list and in its buttons. */
export function entryLabel(entry: LorebookEntry, index: number): string {
  return entry.comment?.trim() || entry.keys.slice(0, 3).join(', ') || `#${index + 1}`;
}
