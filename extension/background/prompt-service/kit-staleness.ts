/**
 * Marks the prompt kits held by NextChat pages stale when something they are made from changes: a
 * character, a lorebook, a chat's binding, settings or memory, a persona or a prompt setting (the person's
 * writes and sync's alike). A stored reply does not: the page counts its own exchanges, and the
 * prompt service's own prompt-state writes are what the page already built.
 */
import { kitRevisionItem } from '../../messaging/storage/kit-revision.ts';
import type { ChangeSource, ChangeTable } from '../changes/change-feed.ts';

/** Tables whose changes make a kit stale. */
const KIT_INPUTS: ReadonlySet<ChangeTable> = new Set<ChangeTable>(['characters', 'lorebooks', 'chats', 'memories', 'settings']);

/** Bumps the kit revision after every change to what kits are made from; returns the unsubscribe function. */
export function markKitsStaleOnChange(changes: ChangeSource, bump: () => void = kitRevisionBumper()): () => void {
  return changes.subscribe((change) => {
    if (change.origin !== 'prompt-state' && change.origin !== 'reply' && change.origin !== 'transcript' && KIT_INPUTS.has(change.table)) bump();
  });
}

/** Writes within this long are one bump (an import of many cards forgets once per card). */
export const KIT_REVISION_COALESCE_MS = 20;

/** A bump function for the background: one storage write per burst of changes. */
export function kitRevisionBumper(write: (value: number) => Promise<void> = (value) => kitRevisionItem.setValue(value)): () => void {
  let scheduled = false;
  let last = 0;
  return () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      last = Math.max(last + 1, Date.now());
      write(last).catch((error: unknown) => console.error('Troupe: could not mark prompt kits stale', error));
    }, KIT_REVISION_COALESCE_MS);
  };
}
