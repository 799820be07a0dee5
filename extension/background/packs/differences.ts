/**
 * What a pack's character or lorebook would change in the library's copy, in words for the import
 * page ("description", "greetings", "avatar", "lorebook: 2 → 4 entries"). Compares what a person
 * sees; anything else that differs is "other card fields".
 */
import { exportCharacterJson, exportLorebookJson, type Character, type Lorebook } from '@troupe/shared/cards';
import type { PackAsset } from '@troupe/shared/packs';

const FIELD_WORDS: readonly (readonly [keyof Character['data'], string])[] = [
  ['name', 'name'],
  ['description', 'description'],
  ['personality', 'personality'],
  ['scenario', 'scenario'],
  ['first_mes', 'first message'],
  ['alternate_greetings', 'greetings'],
  ['group_only_greetings', 'group greetings'],
  ['mes_example', 'example dialogue'],
  ['system_prompt', 'main prompt'],
  ['post_history_instructions', 'post-history instructions'],
  ['creator_notes', 'creator notes'],
  ['tags', 'tags'],
  ['creator', 'creator'],
  ['character_version', 'version'],
];

/** An asset as compared: where the card refers to it and its bytes. */
export interface ComparableAsset {
  uri: string;
  bytes: Uint8Array;
}

/** The differences between the library's character (`mine`) and the pack's (`theirs`). Empty when they are the same. */
export function characterDifferences(mine: Character, mineAssets: readonly ComparableAsset[], theirs: Character, theirAssets: readonly PackAsset[]): string[] {
  const words: string[] = [];
  for (const [field, word] of FIELD_WORDS) if (!same(mine.data[field], theirs.data[field])) words.push(word);
  const voice = (card: Character) => (card.data.extensions['troupe'] as { voice?: unknown } | undefined)?.voice;
  if (!same(voice(mine), voice(theirs))) words.push('voice');
  const before = mine.data.character_book?.entries.length ?? 0;
  const after = theirs.data.character_book?.entries.length ?? 0;
  if (before !== after) words.push(`lorebook: ${before} → ${after} entries`);
  else if (!same(mine.data.character_book, theirs.data.character_book)) words.push('lorebook entries');
  words.push(...assetDifferences(mineAssets, theirAssets));
  if (words.length === 0 && exportCharacterJson(mine) !== exportCharacterJson(theirs)) words.push('other card fields');
  return words;
}

/** The differences between two lorebooks. */
export function lorebookDifferences(mine: Lorebook, theirs: Lorebook): string[] {
  if (mine.entries.length !== theirs.entries.length) return [`${mine.entries.length} → ${theirs.entries.length} entries`];
  return exportLorebookJson(mine) === exportLorebookJson(theirs) ? [] : ['entries'];
}

function assetDifferences(mine: readonly ComparableAsset[], theirs: readonly PackAsset[]): string[] {
  const byUri = new Map(mine.map((asset) => [asset.uri.toLowerCase(), asset.bytes]));
  const avatarChanged = (uri: string) => uri === 'ccdefault:' || uri.includes('/icon/');
  let avatar = false;
  let others = 0;
  for (const asset of theirs) {
    const old = byUri.get(asset.uri.toLowerCase());
    byUri.delete(asset.uri.toLowerCase());
    if (old && equalBytes(old, asset.bytes)) continue;
    if (avatarChanged(asset.uri)) avatar = true;
    else others++;
  }
  others += byUri.size;
  const words: string[] = [];
  if (avatar) words.push('avatar');
  if (others > 0) words.push(others === 1 ? '1 image or sound' : `${others} images or sounds`);
  return words;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
