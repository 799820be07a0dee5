/**
 * The character's name and avatar on NextChat's reply rows, so a character chat reads like one. Lives in
 * NextChat's DOM, outside the panel: inline styles only, and every mark is removed when Troupe stops.
 */
import { SELECTORS } from './selectors.ts';
import { followMessageList } from './follow-list.ts';
import { isReplyRow, readMessageRows } from './message-rows.ts';

/** Troupe's marker in a NextChat bot row's header. */
export const ATTRIBUTION_CLASS = 'troupe-attribution';

export interface AttributedCharacter {
  name: string;
  /** A data URL thumbnail, or null for an initial. */
  avatar: string | null;
}

/**
 * Puts the character's name and avatar into the header of each NextChat reply, or removes them all when
 * `character` is null. Only replies get one (see message-rows.ts: the rows before the person's first
 * message are NextChat's own). Idempotent: rows already marked are left alone.
 */
export function syncAttribution(doc: Document, character: AttributedCharacter | null): void {
  const list = readMessageRows(doc);
  list.rows.forEach((row, index) => {
    if (character && isReplyRow(list, index)) markRow(row, character);
    else row.querySelector(`${SELECTORS.messageHeader} > .${ATTRIBUTION_CLASS}`)?.remove();
  });
}

/** Puts the character's name and avatar into one row's header (once; replaced when the character changes). */
export function markRow(row: Element, character: AttributedCharacter): void {
  const header = row.querySelector(SELECTORS.messageHeader);
  if (!header) return;
  const existing = header.querySelector(`:scope > .${ATTRIBUTION_CLASS}`);
  if (existing?.getAttribute('aria-label') === labelFor(character)) return;
  existing?.remove();
  header.append(attributionElement(row.ownerDocument, character));
}

/**
 * Keeps the attribution in step with NextChat's message list (new rows, re-renders) and with the active
 * character, until `signal` aborts; then removes every marker. `character` is read on each change.
 */
export function followAttribution(doc: Document, character: () => AttributedCharacter | null, signal: AbortSignal): { refresh(): void } {
  // Our own insertions are childList changes inside headers; they settle after one pass (idempotent).
  return followMessageList(doc, () => syncAttribution(doc, character()), isOwnChange, () => syncAttribution(doc, null), signal);
}

function isOwnChange(record: MutationRecord): boolean {
  const nodes = [...record.addedNodes, ...record.removedNodes];
  return nodes.length > 0 && nodes.every((n) => n instanceof Element && n.classList.contains(ATTRIBUTION_CLASS));
}

function labelFor(character: AttributedCharacter): string {
  return `Reply by ${character.name}`;
}

function attributionElement(doc: Document, character: AttributedCharacter): HTMLElement {
  const badge = doc.createElement('span');
  badge.className = ATTRIBUTION_CLASS;
  badge.setAttribute('role', 'img');
  badge.setAttribute('aria-label', labelFor(character));
  badge.title = character.name;
  // Inline styles: the element lives in NextChat's DOM, outside the panel's shadow root and stylesheet.
  badge.style.cssText = 'display:inline-flex;align-items:center;gap:4px;margin-left:6px;font-size:12px;opacity:0.85;max-width:12em;overflow:hidden;white-space:nowrap;';
  if (character.avatar) {
    const img = doc.createElement('img');
    img.src = character.avatar;
    img.alt = '';
    img.style.cssText = 'width:18px;height:18px;border-radius:50%;object-fit:cover;flex:none;';
    badge.append(img);
  }
  const name = doc.createElement('span');
  name.textContent = character.name;
  name.style.cssText = 'overflow:hidden;text-overflow:ellipsis;';
  badge.append(name);
  return badge;
}
