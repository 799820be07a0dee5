/**
 * NextChat's message list, row by row, and the one rule every Troupe decoration of it follows: the rows
 * before the person's first message are NextChat's own (its hello, or the mask's context prompts), never
 * the character's. Kept here so the reply names and the greeting row cannot disagree about it.
 */
import { SELECTORS } from './selectors.ts';

/** Marks Troupe's own greeting row in NextChat's list (see greeting-row.ts); it is not one of NextChat's rows. */
export const GREETING_ROW_ATTRIBUTE = 'data-troupe-greeting';

export interface MessageRows {
  /** The chat body's bot and user rows in order, Troupe's greeting row left out. */
  rows: HTMLElement[];
  /** Where the person's first message is in `rows`; -1 when none is on screen. */
  firstUser: number;
}

/** The message list as it is now (empty when NextChat shows no chat). */
export function readMessageRows(doc: Document): MessageRows {
  const body = doc.querySelector(SELECTORS.chatBody);
  const rows = body
    ? [...body.querySelectorAll<HTMLElement>(`:scope > ${SELECTORS.botRow}, :scope > ${SELECTORS.userRow}`)].filter((row) => !row.hasAttribute(GREETING_ROW_ATTRIBUTE))
    : [];
  return { rows, firstUser: rows.findIndex(isUserRow) };
}

export function isUserRow(row: Element): boolean {
  return row.matches(SELECTORS.userRow);
}

/**
 * The rows NextChat shows before the person's first message (all of them before the first message is
 * sent). None when NextChat shows a later part of a long chat, which starts with a user row.
 */
export function openingRows({ rows, firstUser }: MessageRows): HTMLElement[] {
  return firstUser === -1 ? rows : rows.slice(0, firstUser);
}

/** Whether the row at `index` is a reply: a bot row after the person's first message. */
export function isReplyRow({ rows, firstUser }: MessageRows, index: number): boolean {
  return firstUser !== -1 && index > firstUser && !isUserRow(rows[index]!);
}
