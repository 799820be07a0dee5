/** Every way a library operation can fail besides a card that does not parse (those are CardErrors). */
export type LibraryErrorCode =
  | 'character/not-found'
  | 'lorebook/not-found'
  | 'asset/not-found'
  | 'asset/not-image'
  | 'asset/too-large'
  | 'asset/too-many'
  | 'import/too-large'
  | 'import/failed'
  | 'export/too-large'
  | 'export/no-book'
  | 'lore/entry-not-found'
  | 'undo/expired';

/** A library operation that cannot proceed; `code` is stable, `message` is for people. */
export class LibraryError extends Error {
  constructor(readonly code: LibraryErrorCode, message: string) {
    super(message);
    this.name = 'LibraryError';
  }
}

/** The code and message of any error, for a per-item result (CardError, DocError, LibraryError, other). */
export function describeError(error: unknown): { code: string; message: string } {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'import/failed';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message };
}
