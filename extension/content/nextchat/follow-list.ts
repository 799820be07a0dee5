/**
 * Runs `sync` once now and again (at most once per microtask) whenever NextChat's page changes, except
 * for changes `isOwnChange` says Troupe made itself; on `signal`'s abort, stops and runs `undo`.
 * Shared by the reply attribution and the greeting row, which both keep NextChat's message list in step.
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
  const observer = new MutationObserver((records) => {
    if (records.some((r) => !isOwnChange(r))) refresh();
  });
  observer.observe(doc.body, { childList: true, subtree: true });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    undo();
  }, { once: true });
  refresh();
  return { refresh };
}
