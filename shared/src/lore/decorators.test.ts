import { describe, expect, it } from 'vitest';
import { parseDecorators } from './decorators.ts';

describe('parseDecorators', () => {
  it('leaves content without decorators alone', () => {
    expect(parseDecorators('Plain @@ text\n@@activate')).toMatchObject({ content: 'Plain @@ text\n@@activate', problems: [] });
  });

  it.each([
    ['@@activate', { activate: true }],
    ['@@dont_activate', { dontActivate: true }],
    ['@@depth 2', { depth: 2 }],
    ['@@role user', { role: 'user' }],
    ['@@scan_depth 5', { scanDepth: 5 }],
    ['@@activate_only_after 3', { activateOnlyAfter: 3 }],
    ['@@activate_only_every 4', { activateOnlyEvery: 4 }],
    ['@@position after_desc', { position: 'after_char' }],
    ['@@additional_keys wolf, hound', { additionalKeys: ['wolf', 'hound'] }],
    ['@@exclude_keys cat,dog', { excludeKeys: ['cat', 'dog'] }],
  ])('%s', (line, expected) => {
    const parsed = parseDecorators(`${line}\nBody text.`);
    expect(parsed.content).toBe('Body text.');
    expect(parsed.problems).toEqual([]);
    expect(parsed.decorators).toMatchObject(expected);
  });

  it('reads several decorators and keeps the body intact, including later @@ lines', () => {
    const parsed = parseDecorators('@@depth 2\n@@role system\nAlways describe the sea.\n@@not a decorator');
    expect(parsed.decorators).toMatchObject({ depth: 2, role: 'system' });
    expect(parsed.content).toBe('Always describe the sea.\n@@not a decorator');
  });

  it('uses a @@@ fallback only after an unsupported decorator', () => {
    const unsupported = parseDecorators('@@keep_activate_after_match\n@@@dont_activate\nBody');
    expect(unsupported.decorators.dontActivate).toBe(true);
    expect(unsupported.problems.map((p) => p.code)).toEqual(['lore/unknown-decorator']);

    const supported = parseDecorators('@@activate_only_after 3\n@@@dont_activate\nBody');
    expect(supported.decorators).toMatchObject({ activateOnlyAfter: 3, dontActivate: false });
    expect(supported.problems).toEqual([]);
  });

  it.each([['@@depth deep'], ['@@role narrator'], ['@@activate_only_every 0'], ['@@position scenario'], ['@@activate now']])(
    '%s is reported as a bad argument, never thrown',
    (line) => {
      const parsed = parseDecorators(`${line}\n@@@activate\nBody`);
      expect(parsed.problems.map((p) => p.code)).toEqual(['lore/bad-decorator']);
      expect(parsed.decorators.activate).toBe(true);
    },
  );

  it('accepts CRLF line ends', () => {
    const parsed = parseDecorators('@@depth 3\r\nBody\r\nMore');
    expect(parsed.decorators.depth).toBe(3);
    expect(parsed.content).toBe('Body\r\nMore');
  });
});
