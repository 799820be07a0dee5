/** What can go wrong importing from SillyTavern beyond the client's own errors (`st/*`) and card errors. */
export type StImportErrorCode =
  /** The user has not allowed Troupe to reach that address. */
  | 'st-import/permission'
  /** More characters than ST_IMPORT_MAX_CHARACTERS in one import. */
  | 'st-import/too-many'
  /** Another import is still running. */
  | 'st-import/busy'
  /** No import with that id: it finished long ago, or the background restarted. */
  | 'st-import/no-job'
  /** A card file held a lorebook, or a World Info file a character. */
  | 'st-import/wrong-kind'
  /** The store failed or returned no result for an item. */
  | 'st-import/store-failed'
  /** The user stopped the import before this item. */
  | 'st-import/cancelled';

/** An import error with a stable code and a message a user can act on. */
export class StImportError extends Error {
  constructor(
    readonly code: StImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StImportError';
  }
}
