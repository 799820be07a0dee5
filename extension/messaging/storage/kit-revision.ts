/**
 * The signal that prompt kits held by content scripts are stale: the background bumps it whenever the
 * prompt service forgets something it kept (a chat, character, lorebook, persona or setting changed,
 * here or through sync), and every NextChat page drops its kit when it changes. storage.local carries
 * it because its change event reaches content scripts even while the worker sleeps afterwards.
 */
import { storage } from '#imports';

/** Format 1: a number that only changes (never read for its value). */
export const kitRevisionItem = storage.defineItem<number>('local:prompt.kitRevision', { fallback: 0, version: 1 });
