/**
 * Keeps a Troupe decoration of NextChat's message list in step with the list. Shared by the reply names
 * and the greeting row. It reacts to the list's own structure only (rows coming, going or moving, a row
 * changing kind, a row header re-rendered, the list remounted per chat), never to the text NextChat
 * streams into a row many times a second.
 */
import { observe } from './observe.ts';
import { SELECTORS } from './selectors.ts';

/**
 * Runs `sync` once now and again (at most once per microtask) whenever NextChat's message list changes,
 * except for changes `isOwnChange` says Troupe made itself; on `signal`'s abort, stops and runs `undo`.
 * `refresh` asks for a pass when what the decoration shows changed (the character, say).
 */
export function followMessageList(doc: Document, sync: () => void, isOwnChange: (record: MutationRecord) => boolean, undo: () => void, signal: AbortSignal): { refresh(): void } {
  let scheduled = false;
  const refresh = () => {
    if (scheduled || signal.aborted) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!signal.aborted) sync();
    });
  };
  observe(SELECTORS.chatBody, (body, gone) => {
    const rows = new MutationObserver((records) => {
      if (records.some((record) => shapesTheList(record, body) && !isOwnChange(record))) refresh();
    });
    rows.observe(body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
    gone.addEventListener('abort', () => rows.disconnect(), { once: true });
    refresh();
  }, { signal, root: doc });
  signal.addEventListener('abort', undo, { once: true });
  refresh();
  return { refresh };
}

/** A change to the list's rows or their headers, as opposed to the text inside a message. */
function shapesTheList(record: MutationRecord, body: Element): boolean {
  const target = record.target;
  if (target === body) return true;
  // A row changing kind (NextChat reuses row elements), or a header NextChat rendered anew.
  if (target.parentNode === body) return record.type === 'attributes';
  return record.type === 'childList' && target instanceof Element && target.matches(SELECTORS.messageHeader);
}
