import { describe, expect, it } from 'vitest';
import { parseMacros, type MacroNode } from './parse.ts';

/** The parse tree as a compact string: macros in brackets. */
function show(nodes: readonly MacroNode[]): string {
  return nodes.map((node) => (node.kind === 'text' ? node.text : `[${show(node.inner)}]`)).join('');
}

describe('parseMacros', () => {
  it.each([
    ['plain text', 'plain text'],
    ['{{char}}', '[char]'],
    ['a {{b}} c {{d}}', 'a [b] c [d]'],
    ['{{setvar::x::{{char}}}}', '[setvar::x::[char]]'],
    ['{{a{{b{{c}}}}}}', '[a[b[c]]]'],
    ['{{{char}}}', '{[char]}'],
    ['{{unclosed', '{{unclosed'],
    ['{{unclosed {{closed}}', '{{unclosed [closed]'],
    ['stray }} braces', 'stray }} braces'],
    ['{{}}', '[]'],
  ])('%j -> %j', (source, expected) => {
    expect(show(parseMacros(source))).toBe(expected);
  });

  it('records where each macro sits in the source', () => {
    const [, macro] = parseMacros('ab{{c}}');
    expect(macro).toMatchObject({ kind: 'macro', start: 2, end: 7 });
  });

  it('handles long inputs with many unclosed openers in linear time', () => {
    const source = '{{'.repeat(20_000) + 'x';
    expect(show(parseMacros(source))).toBe(source);
  });
});
