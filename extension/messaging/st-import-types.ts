/**
 * Types of importing from a running SillyTavern: what the import hands to the store (the library's
 * import pipeline), what the store answers, and what the options page sees over the runtime channel.
 */
import type { CardWarning, ParsedCharacterFile, ParsedLorebookFile } from '@troupe/shared/cards';

/** A character downloaded from SillyTavern (its card PNG, read losslessly) and ready to store. */
export interface ParsedCharacterItem {
  kind: 'character';
  /** How results name it: the character's name as SillyTavern lists it. */
  label: string;
  /** Its card file in SillyTavern, e.g. `default_Seraphina.png`. */
  sourceName: string;
  /** The card and its assets: the PNG's own image is the `ccdefault:` asset. */
  parsed: ParsedCharacterFile;
  /**
   * The World Info the card links (`data.extensions.world`), or null. When SillyTavern had it, the same
   * store call holds it as a lorebook item with this `sourceName`, placed before the characters.
   */
  linkedLorebook: string | null;
}

/** A World Info file downloaded from SillyTavern, read as a lorebook and ready to store. */
export interface ParsedLorebookItem {
  kind: 'lorebook';
  /** The world's name (SillyTavern names a world by its file). */
  label: string;
  /** The world's file id in SillyTavern (`Eldoria` for `worlds/Eldoria.json`). */
  sourceName: string;
  parsed: ParsedLorebookFile;
}

export type ParsedImportItem = ParsedCharacterItem | ParsedLorebookItem;

/** The outcome of storing one item, in the library pipeline's shape. */
export type ImportResult =
  | { label: string; ok: true; kind: 'character' | 'lorebook'; id: string; name: string; warnings?: readonly CardWarning[] }
  | { label: string; ok: false; code: string; message: string };

/** Told how many of the items of one store call are stored so far. */
export type StoreProgress = (stored: number) => void;

/**
 * Stores parsed items, each on its own (one failing never stops the others), and returns one result
 * per item, in order. The background's import calls it in chunks of ST_IMPORT_CHUNK_SIZE characters
 * (plus their linked worlds).
 */
export type StoreImportItems = (items: readonly ParsedImportItem[], onProgress: StoreProgress) => Promise<ImportResult[]>;

// ---------------------------------------------------------------------------------------------------
// Over the runtime channel (options page <-> background)

/** One character of SillyTavern's library, as the picker shows it. */
export interface StListedCharacter {
  /** Its card file name: the id every other request takes. */
  avatar: string;
  name: string;
  tags: string[];
  creator: string | null;
}

/** A working connection to a SillyTavern: its normalised address, version, and characters (sorted by name). */
export interface StConnection {
  url: string;
  version: string | null;
  characters: StListedCharacter[];
}

/** A character's thumbnail as a data URL, or null (show initials) when SillyTavern had none to give. */
export interface StThumbnail {
  avatar: string;
  dataUrl: string | null;
}

/** A character chosen for import: its file, and its name to label results until the card is read. */
export interface StImportChoice {
  avatar: string;
  name: string;
}

/** The outcome of one character or world of an import, for the options page. */
export type StImportItemResult =
  | {
      kind: 'character' | 'lorebook';
      label: string;
      /** The card file or world id in SillyTavern. */
      source: string;
      ok: true;
      id: string;
      name: string;
      /** For characters: the world the card links, or null. */
      linkedLorebook: string | null;
      /** Fixes the card reader made (see CardWarning); their count is enough for the list. */
      warnings: number;
    }
  | { kind: 'character' | 'lorebook'; label: string; source: string; ok: false; code: string; message: string };

export type StImportPhase = 'downloading' | 'storing' | 'done' | 'cancelled';

/** Where an import stands. `results` holds the results from the `resultsFrom` the request asked for. */
export interface StImportStatus {
  jobId: string;
  running: boolean;
  phase: StImportPhase;
  /** Characters with a final result so far, of `charactersTotal`. */
  charactersDone: number;
  charactersTotal: number;
  /** Results from `resultsFrom` on; `resultsTotal` is how many there are in all. */
  results: StImportItemResult[];
  resultsTotal: number;
  /** Set when the import as a whole stopped on an error (each item's own errors are in `results`). */
  error: { code: string; message: string } | null;
}
