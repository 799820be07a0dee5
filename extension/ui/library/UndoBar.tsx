import { useEffect } from 'preact/hooks';

export interface PendingDelete {
  kind: 'character' | 'lorebook';
  id: string;
  name: string;
  undoUntil: number;
}

/** "Deleted X. Undo" for as long as the background keeps the item restorable. */
export function UndoBar({ pending, onUndo, onExpire }: { pending: PendingDelete | null; onUndo(item: PendingDelete): void; onExpire(): void }) {
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(onExpire, Math.max(0, pending.undoUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [pending]);
  if (!pending) return null;
  return (
    <div class="tl-undo" role="status" aria-label="Deleted">
      <span>{pending.kind === 'lorebook' ? 'Deleted lorebook' : 'Deleted'} “{pending.name}”.</span>
      <button type="button" onClick={() => onUndo(pending)}>Undo</button>
    </div>
  );
}
