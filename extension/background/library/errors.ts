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
