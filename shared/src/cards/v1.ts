/**
 * V1 cards: the flat TavernAI shape (name, description, personality, scenario, first_mes,
 * mes_example at the top level) and the older Pygmalion/Gradio shape (char_name, ...).
 * They are lifted into V2-style `data` the way SillyTavern imports them.
 */
import type { JsonObject, JsonValue } from './model.ts';
import { cloneJson, isJsonObject, safeEntries } from './safe-json.ts';

/** V1 (and V2 field names found at the top level of V1 files) -> data key. */
const DIRECT_FIELDS: readonly (readonly [string, string])[] = [
  ['name', 'name'],
  ['description', 'description'],
  ['personality', 'personality'],
  ['scenario', 'scenario'],
  ['first_mes', 'first_mes'],
  ['mes_example', 'mes_example'],
  ['tags', 'tags'],
  ['creator', 'creator'],
  ['character_version', 'character_version'],
  ['system_prompt', 'system_prompt'],
  ['post_history_instructions', 'post_history_instructions'],
  ['alternate_greetings', 'alternate_greetings'],
  ['group_only_greetings', 'group_only_greetings'],
  ['character_book', 'character_book'],
  // Pygmalion / Gradio exports
  ['char_name', 'name'],
  ['char_persona', 'description'],
  ['world_scenario', 'scenario'],
  ['char_greeting', 'first_mes'],
  ['example_dialogue', 'mes_example'],
];

/** SillyTavern settings that V1 files keep at the top level and V2 keeps in extensions. */
const EXTENSION_FIELDS: readonly string[] = ['talkativeness', 'fav', 'world'];

const DEPTH_PROMPT_FIELDS: readonly (readonly [string, string])[] = [
  ['depth_prompt_prompt', 'prompt'],
  ['depth_prompt_depth', 'depth'],
  ['depth_prompt_role', 'role'],
];

export interface CardParts {
  /** A raw V2-style data object, still to be normalised. */
  data: JsonObject;
  /** Top-level keys that are not card fields (avatar, chat, create_date, ...), kept verbatim. */
  extras: JsonObject;
}

/**
 * Splits a V1 object into data fields and the rest. When a file has a field twice (both
 * `char_name` and `name`, or `creatorcomment` and `creator_notes`) the first name wins and
 * the other stays among the extras, so nothing is lost.
 */
export function v1ToCardParts(raw: JsonObject): CardParts {
  const data: JsonObject = {};
  const consumed = new Set<string>(['extensions']);
  const take = (from: string, to: string): void => {
    const value = raw[from];
    if (value === undefined || data[to] !== undefined) return;
    data[to] = cloneJson(value);
    consumed.add(from);
  };
  for (const [from, to] of DIRECT_FIELDS) take(from, to);
  take('creatorcomment', 'creator_notes');
  take('creator_notes', 'creator_notes');

  const extensions: JsonObject = isJsonObject(raw['extensions']) ? (cloneJson(raw['extensions']) as JsonObject) : {};
  if (raw['extensions'] !== undefined && !isJsonObject(raw['extensions'])) {
    consumed.delete('extensions');
  }
  for (const key of EXTENSION_FIELDS) {
    const value = raw[key];
    if (value === undefined || extensions[key] !== undefined) continue;
    extensions[key] = cloneJson(value);
    consumed.add(key);
  }
  if (extensions['depth_prompt'] === undefined) {
    const depthPrompt: JsonObject = {};
    for (const [from, to] of DEPTH_PROMPT_FIELDS) {
      const value: JsonValue | undefined = raw[from];
      if (value === undefined) continue;
      depthPrompt[to] = cloneJson(value);
      consumed.add(from);
    }
    if (Object.keys(depthPrompt).length > 0) extensions['depth_prompt'] = depthPrompt;
  }
  data['extensions'] = extensions;

  const extras: JsonObject = {};
  for (const [key, value] of safeEntries(raw)) {
    if (!consumed.has(key)) extras[key] = cloneJson(value);
  }
  return { data, extras };
}
