import { describe, expect, it } from 'vitest';
import o200kRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { encodingFromRanks } from './ranks-encoding.ts';
import { tokenizerFor } from './tokenizer.ts';

describe('encodingFromRanks', () => {
  it('counts exactly like the bundled encoding when built from its JSON rank table', async () => {
    const fromJson = encodingFromRanks('o200k_base', JSON.parse(JSON.stringify(o200kRanks)));
    const bundled = await tokenizerFor('gpt-4o');
    for (const text of ['Hello, world!', 'Seraphina tends the glade. 🌿 Ünïcödé <|endoftext|>', 'x'.repeat(1000)]) {
      expect(fromJson.countTokens(text, { disallowedSpecial: new Set() })).toBe(bundled.count(text));
    }
  });
});
