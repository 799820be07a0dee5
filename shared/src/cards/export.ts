/** Writers for every format the cards library reads. Each normalises its input first. */
import { writeCharx } from './charx.ts';
import type { NormalizeContext } from './coerce.ts';
import { resolveLimits } from './limits.ts';
import {
  CHARACTER_SPEC_V2,
  CHARACTER_SPEC_VERSION_V2,
  LOREBOOK_SPEC,
  type Asset,
  type Character,
  type JsonObject,
  type Lorebook,
} from './model.ts';
import { normalizeCharacter, V3_ONLY_DATA_KEYS } from './normalize-character.ts';
import { normalizeLorebook } from './normalize-lorebook.ts';
import { writePngCard } from './png-card.ts';
import { cloneJson, cloneJsonObject, safeEntries, safeSet } from './safe-json.ts';
import { lorebookToWorldInfo, type WorldInfoFile } from './worldinfo.ts';

const V3_ONLY_FIELDS = new Set(V3_ONLY_DATA_KEYS);

function freshContext(): NormalizeContext {
  return { warnings: [], limits: resolveLimits() };
}

/** A normalised copy of `character` (exporters never write a half-valid card). */
function normalized(character: Character): Character {
  return normalizeCharacter(character, freshContext());
}

/** The character as a V3 card object (the model itself, normalised and copied). */
export function toV3Card(character: Character): Character {
  return normalized(character);
}

/**
 * The character as SillyTavern writes a V2 card for old readers: spec `chara_card_v2`, the
 * V2 data fields (V3-only ones left out; unknown ones kept), and the V1 mirror of the main
 * fields at the top level together with the card's other top-level keys.
 */
export function toV2Card(character: Character): JsonObject {
  const card = normalized(character);
  const data: JsonObject = {};
  for (const [key, value] of safeEntries(card.data)) {
    if (!V3_ONLY_FIELDS.has(key)) data[key] = cloneJson(value);
  }
  const { extensions } = card.data;
  const out: JsonObject = {
    name: card.data.name,
    description: card.data.description,
    personality: card.data.personality,
    scenario: card.data.scenario,
    first_mes: card.data.first_mes,
    mes_example: card.data.mes_example,
    creatorcomment: card.data.creator_notes,
  };
  safeSet(out, 'talkativeness', extensions['talkativeness']);
  safeSet(out, 'fav', extensions['fav']);
  out['tags'] = [...card.data.tags];
  for (const [key, value] of safeEntries(card)) {
    if (key !== 'spec' && key !== 'spec_version' && key !== 'data' && out[key] === undefined) out[key] = cloneJson(value);
  }
  out['spec'] = CHARACTER_SPEC_V2;
  out['spec_version'] = CHARACTER_SPEC_VERSION_V2;
  out['data'] = data;
  return out;
}

/** The character as V3 JSON text (a `.json` card file). */
export function exportCharacterJson(character: Character): string {
  return JSON.stringify(normalized(character), null, 2);
}

/**
 * The character as a PNG card: `image` (a PNG, e.g. the avatar from parseCardFile's assets)
 * with a `chara` chunk holding the V2 card and a `ccv3` chunk holding the V3 card, inserted
 * before IEND; old card chunks in `image` are replaced. Without `image` a 1x1 transparent
 * PNG is used. Throws `png/*` errors when `image` is not a valid PNG.
 */
export function exportCharacterPng(character: Character, options: { image?: Uint8Array } = {}): Uint8Array {
  return writePngCard(options.image, JSON.stringify(toV2Card(character)), JSON.stringify(normalized(character)));
}

/**
 * The character as a CHARX zip: card.json plus the assets (see charx.ts for how a PNG card's
 * `ccdefault:` image is placed).
 */
export function exportCharacterCharx(character: Character, assets: readonly Asset[] = []): Uint8Array {
  return writeCharx(normalized(character), assets);
}

/** The lorebook as a SillyTavern World Info object (see worldinfo.ts for the mapping). */
export function toWorldInfo(lorebook: Lorebook): WorldInfoFile {
  return lorebookToWorldInfo(normalizeLorebook(lorebook, 'lorebook', freshContext()));
}

/** The lorebook as SillyTavern World Info JSON text. */
export function exportWorldInfoJson(lorebook: Lorebook): string {
  return JSON.stringify(toWorldInfo(lorebook), null, 2);
}

/** The lorebook as a standalone `lorebook_v3` JSON text. */
export function exportLorebookJson(lorebook: Lorebook): string {
  const data = normalizeLorebook(lorebook, 'lorebook', freshContext());
  return JSON.stringify({ spec: LOREBOOK_SPEC, data: cloneJsonObject(data) }, null, 2);
}
