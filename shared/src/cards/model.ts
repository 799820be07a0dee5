/**
 * The normalised card model: a Character is a valid Character Card V3 object (spec
 * `chara_card_v3`), whatever format it was read from. Every known field is present with the
 * right type; every unknown key stays exactly where it was found (the index signatures), so
 * writing the model back out loses nothing.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** A JSON object. `undefined` is allowed so optional typed fields fit; JSON output omits it. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** Spec names and versions as they appear in card files. */
export const CHARACTER_SPEC = 'chara_card_v3';
export const CHARACTER_SPEC_VERSION = '3.0';
export const CHARACTER_SPEC_V2 = 'chara_card_v2';
export const CHARACTER_SPEC_VERSION_V2 = '2.0';
export const LOREBOOK_SPEC = 'lorebook_v3';

/** A Character Card V3 with SillyTavern's habits accounted for (see normalize-character.ts). */
export interface Character {
  spec: typeof CHARACTER_SPEC;
  /** '3.0' for cards upgraded from V1/V2; a V3 card's own value otherwise. */
  spec_version: string;
  data: CharacterData;
  /**
   * Top-level keys besides spec/spec_version/data, kept verbatim (SillyTavern writes `avatar`,
   * `chat` and `create_date` here). The V1 mirror of data fields (`name`, `description`, ...)
   * is not kept: data is the truth and the mirror is rebuilt on export.
   */
  [key: string]: JsonValue | undefined;
}

/** The card's plain text fields besides its name (every version has them), in the V2 spec's order. */
export const CHARACTER_TEXT_FIELDS = [
  'description', 'personality', 'scenario', 'first_mes', 'mes_example', 'creator_notes', 'system_prompt',
  'post_history_instructions', 'creator', 'character_version',
] as const satisfies readonly (keyof CharacterData)[];

/** The card's lists of text (the last two are V3's). */
export const CHARACTER_LIST_FIELDS = ['alternate_greetings', 'tags', 'group_only_greetings', 'source'] as const satisfies readonly (keyof CharacterData)[];

export interface CharacterData {
  name: string;
  description: string;
  personality: string;
  scenario: string;
  first_mes: string;
  mes_example: string;
  creator_notes: string;
  system_prompt: string;
  post_history_instructions: string;
  alternate_greetings: string[];
  character_book?: Lorebook;
  tags: string[];
  creator: string;
  character_version: string;
  /** Anything: SillyTavern keeps `talkativeness`, `fav`, `world`, `depth_prompt` here. */
  extensions: JsonObject;
  // V3 only
  /** Absent means the V3 default: one icon, `ccdefault:`. */
  assets?: CardAsset[];
  nickname?: string;
  creator_notes_multilingual?: Record<string, string>;
  source?: string[];
  group_only_greetings: string[];
  /** Unix seconds. */
  creation_date?: number;
  /** Unix seconds. */
  modification_date?: number;
  [key: string]: JsonValue | undefined;
}

/** One entry of CCv3 `data.assets`: where an image or sound lives, not its bytes. */
export interface CardAsset {
  /** 'icon', 'background', 'emotion', 'user_icon', or anything a card invents. */
  type: string;
  /** 'embeded://path/in/zip', 'ccdefault:', 'https://...', 'data:...'. */
  uri: string;
  name: string;
  ext: string;
  [key: string]: JsonValue | undefined;
}

/** CCv3 `character_book` / `lorebook_v3` data. */
export interface Lorebook {
  name?: string;
  description?: string;
  scan_depth?: number;
  token_budget?: number;
  recursive_scanning?: boolean;
  extensions: JsonObject;
  entries: LorebookEntry[];
  [key: string]: JsonValue | undefined;
}

export type LorebookPosition = 'before_char' | 'after_char';

/**
 * A CCv3 lorebook entry. SillyTavern's own entry settings (probability, depth, groups, sticky,
 * ...) live in `extensions` under SillyTavern's snake_case names (see worldinfo.ts).
 */
export interface LorebookEntry {
  keys: string[];
  content: string;
  extensions: JsonObject;
  enabled: boolean;
  insertion_order: number;
  /** V3: keys are regular expressions. Filled with false for V2 books, which lack it. */
  use_regex: boolean;
  case_sensitive?: boolean;
  constant?: boolean;
  name?: string;
  priority?: number;
  id?: number | string;
  comment?: string;
  selective?: boolean;
  secondary_keys?: string[];
  position?: LorebookPosition;
  [key: string]: JsonValue | undefined;
}

/** The bytes of one asset read from a file: a CHARX entry, or a PNG card's own image. */
export interface Asset {
  /**
   * How the card refers to it: `embeded://<path>` for a CHARX entry, `ccdefault:` for the
   * PNG a card was read from. Match it against `data.assets[].uri`.
   */
  uri: string;
  /** File name (last path segment), e.g. `happy.png`. */
  name: string;
  /** Path inside the CHARX zip; absent for a PNG avatar. */
  path?: string;
  mime: string;
  bytes: Uint8Array;
}
