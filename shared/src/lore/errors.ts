export type LoreErrorCode = 'lore/automaton-frozen';

/**
 * A programming error inside the lore engine (bad book data never throws; it becomes a LoreWarning).
 * The UI turns `code` into a readable message.
 */
export class LoreError extends Error {
  constructor(
    readonly code: LoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoreError';
  }
}
