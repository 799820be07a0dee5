/** Characters for the pack page's tests: every field a SillyTavern user cares about, with assets. */
import { createMinimalPng, parseCardObject, type Character } from '@troupe/shared/cards';
import type { PackAsset, PackCharacter } from '@troupe/shared/packs';

/** A card with every text field, list, book and extension filled. */
export function fullCharacter(name: string, extra: Record<string, unknown> = {}): Character {
  const parsed = parseCardObject({
    spec: 'chara_card_v3',
    spec_version: '3.0',
    data: {
      name,
      description: `${name} keeps the lighthouse on the northern cape.`,
      personality: 'calm, wry',
      scenario: "A storm night at {{user}}'s lighthouse.",
      first_mes: '*The lamp turns.* "Come in out of the rain, {{user}}."',
      mes_example: '<START>\n{{user}}: Hello?\n{{char}}: The sea says hello back.',
      creator_notes: `Notes about ${name}.`,
      system_prompt: '{{original}}\nStay in character as {{char}}.',
      post_history_instructions: 'Keep replies under 80 words.',
      alternate_greetings: ['Another wave, another guest.', '🌊'],
      tags: ['lighthouse', 'Ünïcödé'],
      creator: 'Troupe tests',
      character_version: '2.5',
      extensions: { talkativeness: '0.7', world: 'Coast' },
      character_book: {
        name: `${name}'s lore`,
        entries: [
          { keys: ['lamp'], content: 'The lamp has burned for 90 years.', enabled: true, insertion_order: 10, use_regex: false, id: 1 },
          { keys: ['/keeper/i'], content: 'The last keeper left a logbook.', enabled: true, insertion_order: 20, use_regex: true, id: 2 },
        ],
      },
      assets: [
        { type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' },
        { type: 'emotion', uri: 'embeded://assets/emotion/happy.png', name: 'happy', ext: 'png' },
      ],
      ...extra,
    },
  });
  if (parsed.kind !== 'character') throw new Error('expected a character');
  return parsed.character;
}

/** A character with a PNG avatar (`ccdefault:`) and one sprite, as a pack carries it. */
export function packCharacter(name: string, avatar: Uint8Array = createMinimalPng()): PackCharacter {
  const sprite: PackAsset = { uri: 'embeded://assets/emotion/happy.png', name: 'happy.png', mime: 'image/png', bytes: createMinimalPng() };
  return { card: fullCharacter(name), assets: [{ uri: 'ccdefault:', name: 'avatar.png', mime: 'image/png', bytes: avatar }, sprite] };
}

/** The first bytes of a JPEG: enough for the page to sniff one (it never decodes it in these tests). */
export const JPEG_BYTES = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0);
