/**
 * The signal that prompt kits held by content scripts are stale: the background bumps it whenever the
 * prompt service forgets something it kept (a chat, character, lorebook, persona or setting changed,
 * here or through sync), and every NextChat page drops its kit when it changes. storage.local carries
 * it because its change event reaches content scripts even while the worker sleeps afterwards.
 */
import { storage } from '#imports';

/** Format 1: a number that only changes (never read for its value). */
export const kitRevisionItem = storage.defineItem<number>('local:prompt.kitRevision', { fallback: 0, version: 1 });

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
