/** What of a reply is read aloud: the options of the sentence splitter, also stored per character. */

export interface ReadingOptions {
  /**
   * Only text inside quotes (“…” "…" «…» »…« „…“ 「…」 『…』) is spoken, as the character. A reply that
   * writes speech without quote marks is then silent, as SillyTavern's "only narrate quotes" is.
   */
  dialogueOnly: boolean;
  /**
   * Text outside quotes is spoken too, as 'narrator' segments (the narrator voice), and quotes as
   * 'character' ones. Implies the split by quotes of `dialogueOnly`, whose dropping it overrides.
   */
  narrator: boolean;
  /** Fenced ``` blocks and inline `code` are never spoken (otherwise their text is, without the marks). */
  skipCode: boolean;
  /** Role-play actions, *…* and _…_, are never spoken (otherwise their text is, without the marks). */
  skipActions: boolean;
}

/** Nobody wants code read aloud; everything else is spoken by the character unless the user chooses. */
export const DEFAULT_READING_OPTIONS: Readonly<ReadingOptions> = Object.freeze({
  dialogueOnly: false,
  narrator: false,
  skipCode: true,
  skipActions: false,
});

/** The keys of ReadingOptions, in a stable order (validation, forms). */
export const READING_OPTION_KEYS = ['dialogueOnly', 'narrator', 'skipCode', 'skipActions'] as const satisfies readonly (keyof ReadingOptions)[];
