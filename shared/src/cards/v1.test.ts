import { describe, expect, it } from 'vitest';
import type { NormalizeContext } from './coerce.ts';
import { resolveLimits } from './limits.ts';
import { normalizeCharacterCard } from './normalize-character.ts';
import { v1ToCardParts } from './v1.ts';

function context(): NormalizeContext {
  return { warnings: [], limits: resolveLimits() };
}

const tavernV1 = {
  name: 'Old Tom',
  description: 'An old sailor.',
  personality: 'gruff',
  scenario: 'A harbour tavern.',
  first_mes: 'Arr.',
  mes_example: '<START>\n{{user}}: Hi\n{{char}}: Arr.',
  creatorcomment: 'My first card',
  avatar: 'none',
  chat: 'Old Tom - 2023-1-1 @12h',
  create_date: '2023-1-1 @12h',
  talkativeness: '0.7',
  fav: true,
  tags: 'sailor, old',
  depth_prompt_prompt: 'Tom is tired.',
  depth_prompt_depth: 2,
  depth_prompt_role: 'system',
};

describe('V1 cards', () => {
  it('lifts the flat fields into data, as SillyTavern imports them', () => {
    const { character, version } = normalizeCharacterCard(tavernV1, context());
    expect(version).toBe(1);
    expect(character.spec).toBe('chara_card_v3');
    expect(character.data).toMatchObject({
      name: 'Old Tom',
      description: 'An old sailor.',
      personality: 'gruff',
      scenario: 'A harbour tavern.',
      first_mes: 'Arr.',
      mes_example: '<START>\n{{user}}: Hi\n{{char}}: Arr.',
      creator_notes: 'My first card',
      tags: ['sailor', 'old'],
      extensions: {
        talkativeness: '0.7',
        fav: true,
        depth_prompt: { prompt: 'Tom is tired.', depth: 2, role: 'system' },
      },
    });
  });

  it('keeps the keys that are not card fields at the top level', () => {
    const { character } = normalizeCharacterCard(tavernV1, context());
    expect(character['avatar']).toBe('none');
    expect(character['chat']).toBe('Old Tom - 2023-1-1 @12h');
    expect(character['create_date']).toBe('2023-1-1 @12h');
    expect(character['talkativeness']).toBeUndefined();
    expect(character['depth_prompt_prompt']).toBeUndefined();
  });

  it('reads the Pygmalion/Gradio shape', () => {
    const { character, version } = normalizeCharacterCard(
      { char_name: 'Pyg', char_persona: 'persona', char_greeting: 'hey', world_scenario: 'world', example_dialogue: 'ex' },
      context(),
    );
    expect(version).toBe(1);
    expect(character.data).toMatchObject({ name: 'Pyg', description: 'persona', first_mes: 'hey', scenario: 'world', mes_example: 'ex' });
  });

  it('keeps the second of two names for one field as an extra, losing nothing', () => {
    const parts = v1ToCardParts({ name: 'A', char_name: 'B', creatorcomment: 'c1', creator_notes: 'c2' });
    expect(parts.data['name']).toBe('A');
    expect(parts.data['creator_notes']).toBe('c1');
    expect(parts.extras).toEqual({ char_name: 'B', creator_notes: 'c2' });
  });

  it('leaves depth_prompt fields alone when extensions already hold one', () => {
    const parts = v1ToCardParts({ name: 'A', extensions: { depth_prompt: { prompt: 'kept' } }, depth_prompt_prompt: 'other' });
    expect(parts.data['extensions']).toEqual({ depth_prompt: { prompt: 'kept' } });
    expect(parts.extras).toEqual({ depth_prompt_prompt: 'other' });
  });

  it('takes V2 field names found at the top level of a V1 file', () => {
    const { character } = normalizeCharacterCard(
      { name: 'A', system_prompt: 'sys', alternate_greetings: ['hi'], character_book: { entries: [] }, creator: 'me' },
      context(),
    );
    expect(character.data.system_prompt).toBe('sys');
    expect(character.data.alternate_greetings).toEqual(['hi']);
    expect(character.data.character_book).toEqual({ extensions: {}, entries: [] });
    expect(character.data.creator).toBe('me');
  });

  it('reads a card that claims a spec but has only top-level fields, as SillyTavern does', () => {
    const ctx = context();
    const { character, version } = normalizeCharacterCard({ spec: 'chara_card_v2', name: 'Flat', first_mes: 'hi' }, ctx);
    expect(version).toBe(1);
    expect(character.spec).toBe('chara_card_v3');
    expect(character.data.first_mes).toBe('hi');
    expect(Object.hasOwn(character, 'name')).toBe(false);
    expect(ctx.warnings[0]?.path).toBe('data');
  });

  it('never lets a V1 file’s own spec or data keys replace the card’s', () => {
    const ctx = context();
    const { character } = normalizeCharacterCard({ name: 'A', spec: null, data: 'junk' }, ctx);
    expect(character.spec).toBe('chara_card_v3');
    expect(character.data.name).toBe('A');
    expect(ctx.warnings.map((w) => w.path)).toContain('data');
  });
});
