/**
 * The character's greeting as the first message of NextChat's own list, where a SillyTavern user expects
 * it, without writing anything into NextChat's store: a look-alike row Troupe adds and removes itself.
 */
import { SELECTORS } from './selectors.ts';
import { markRow, type AttributedCharacter } from './attribution.ts';
import { followMessageList } from './follow-list.ts';
import { GREETING_ROW_ATTRIBUTE, openingRows, readMessageRows } from './message-rows.ts';

/** Marks NextChat's own greeting row while Troupe's stands in for it. */
const HIDDEN_ATTRIBUTE = 'data-troupe-hidden';

export interface GreetingView {
  character: AttributedCharacter;
  /** The chosen greeting, macros resolved as the prompt will send it. */
  text: string;
  index: number;
  count: number;
  /** Swiping is offered until the person has answered (as in SillyTavern). */
  canSwipe: boolean;
  onSwipe(next: number): void;
}

/**
 * Shows the character's greeting as the first message of NextChat's message list: a copy of NextChat's
 * own greeting row (so it looks like NextChat's), with the greeting's text, the character's name and
 * avatar and, before the first answer, buttons to swipe through the alternates. NextChat's own greeting
 * row is hidden meanwhile, never changed or removed, and nothing is written to NextChat's store; with
 * `view` null everything is put back. Idempotent.
 */
export function syncGreetingRow(doc: Document, view: GreetingView | null): void {
  const body = doc.querySelector(SELECTORS.chatBody);
  const ours = body?.querySelector<HTMLElement>(`:scope > [${GREETING_ROW_ATTRIBUTE}]`) ?? null;
  const list = readMessageRows(doc);
  const { rows, firstUser } = list;
  const before = openingRows(list);
  // NextChat shows its own hello only when the chat's mask has no context: then it is the one row before the user's.
  const hello = before.length === 1 && before[0]!.matches(SELECTORS.botRow) ? before[0]! : null;
  for (const hidden of doc.querySelectorAll<HTMLElement>(`[${HIDDEN_ATTRIBUTE}]`)) {
    if (view && hidden === hello) continue;
    hidden.style.removeProperty('display');
    hidden.removeAttribute(HIDDEN_ATTRIBUTE);
  }
  const template = hello ?? rows.find((row) => row.matches(SELECTORS.botRow)) ?? null;
  // With no row before the first user message, NextChat shows a later part of a long chat: the
  // greeting's place (the start) is not on screen.
  if (!view || !body || !template || before.length === 0) {
    ours?.remove();
    return;
  }
  let row = ours;
  if (!row) {
    row = template.cloneNode(true) as HTMLElement;
    row.setAttribute(GREETING_ROW_ATTRIBUTE, '');
    row.removeAttribute(HIDDEN_ATTRIBUTE);
    row.style.removeProperty('display');
    for (const extra of row.querySelectorAll(`${SELECTORS.streamingStatus}, ${SELECTORS.messageActions}, ${SELECTORS.messageDate}`)) extra.remove();
  }
  const anchor = hello ?? rows[firstUser] ?? null;
  if (anchor) {
    if (row.nextElementSibling !== anchor) anchor.before(row);
  } else if (row.parentElement !== body || row.nextElementSibling) {
    body.append(row);
  }
  if (hello) {
    hello.setAttribute(HIDDEN_ATTRIBUTE, '');
    hello.style.display = 'none';
  }
  fill(row, view);
}

function fill(row: HTMLElement, view: GreetingView): void {
  const text = row.querySelector<HTMLElement>(SELECTORS.messageText);
  if (text && (text.textContent !== view.text || text.dataset.troupeText !== '1')) {
    text.textContent = view.text;
    text.dataset.troupeText = '1';
    text.style.whiteSpace = 'pre-wrap';
  }
  markRow(row, view.character);
  const header = row.querySelector(SELECTORS.messageHeader);
  let swipe = row.querySelector<HTMLElement>('.troupe-swipe');
  const label = `${view.index + 1} of ${view.count}`;
  if (!view.canSwipe || view.count < 2) {
    swipe?.remove();
    return;
  }
  if (!swipe && header) {
    swipe = row.ownerDocument.createElement('span');
    swipe.className = 'troupe-swipe';
    swipe.style.cssText = 'display:inline-flex;align-items:center;gap:4px;margin-left:8px;font-size:12px;';
    const button = (name: string, glyph: string, step: number) => {
      const b = row.ownerDocument.createElement('button');
      b.type = 'button';
      b.textContent = glyph;
      b.setAttribute('aria-label', name);
      b.style.cssText = 'border:1px solid currentColor;border-radius:6px;background:none;color:inherit;cursor:pointer;padding:0 6px;opacity:0.8;';
      b.addEventListener('click', (event) => {
        if (!event.isTrusted) return;
        const current = Number(swipe!.dataset.index);
        const count = Number(swipe!.dataset.count);
        swipeHandlers.get(swipe!)?.((current + step + count) % count);
      });
      return b;
    };
    const position = row.ownerDocument.createElement('span');
    position.className = 'troupe-swipe-position';
    position.setAttribute('aria-live', 'polite');
    swipe.append(button('Previous greeting', '‹', -1), position, button('Next greeting', '›', 1));
    header.append(swipe);
  }
  if (!swipe) return;
  swipe.dataset.index = String(view.index);
  swipe.dataset.count = String(view.count);
  swipeHandlers.set(swipe, view.onSwipe);
  const position = swipe.querySelector('.troupe-swipe-position')!;
  if (position.textContent !== label) position.textContent = label;
}

/** The current swipe callback of each row's buttons (the view changes; the buttons stay). */
const swipeHandlers = new WeakMap<HTMLElement, (next: number) => void>();

/**
 * Keeps the greeting row in step with NextChat's message list and with `view()`, until `signal` aborts;
 * then puts NextChat's own greeting back.
 */
export function followGreetingRow(doc: Document, view: () => GreetingView | null, signal: AbortSignal): { refresh(): void } {
  return followMessageList(doc, () => syncGreetingRow(doc, view()), isOwnChange, () => syncGreetingRow(doc, null), signal);
}

/** Changes Troupe made itself (inside or of its greeting row) need no new pass. */
function isOwnChange(record: MutationRecord): boolean {
  const target = record.target instanceof Element ? record.target : null;
  if (target?.closest(`[${GREETING_ROW_ATTRIBUTE}]`)) return true;
  const nodes = [...record.addedNodes, ...record.removedNodes];
  return nodes.length > 0 && nodes.every((n) => n instanceof Element && n.hasAttribute(GREETING_ROW_ATTRIBUTE));
}
