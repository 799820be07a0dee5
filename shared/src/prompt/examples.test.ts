import { describe, expect, it } from 'vitest';
import { parseExampleDialogues } from './examples.ts';
import type { ChatMessage } from './types.ts';

const u = (content: string): ChatMessage => ({ role: 'system', name: 'example_user', content });
const a = (content: string): ChatMessage => ({ role: 'system', name: 'example_assistant', content });
const speakers = { user: 'Ann', char: ['Mira', 'Mirabel'] };

describe('parseExampleDialogues', () => {
  it.each<[string, string, ChatMessage[][]]>([
    ['nothing', '', []],
    ['a lone marker', '<START>', []],
    ['one block', '<START>\nAnn: Hi\nMira: Hello', [[u('Hi'), a('Hello')]]],
    ['text without a leading marker is a block', 'Ann: Hi\nMira: Hello', [[u('Hi'), a('Hello')]]],
    ['two blocks, marker in any case', '<START>\nAnn: A\nMira: B\n<start>\nMira: C', [[u('A'), a('B')], [a('C')]]],
    ['multi-line turns stay whole', '<START>\nMira: line one\nline two\nAnn: ok', [[a('line one\nline two'), u('ok')]]],
    ['the card name works as well as the nickname', '<START>\nMirabel: Hi', [[a('Hi')]]],
    ['lines before the first speaker join the first turn', '<START>\n*at the docks*\nMira: Hi', [[a('*at the docks*\nHi')]]],
    ['a block with no speaker is kept as plain system text', '<START>\nMira is terse.', [[{ role: 'system', content: 'Mira is terse.' }]]],
    ['empty turns are left out', '<START>\nAnn:\nMira: Hi', [[a('Hi')]]],
    ['a speaker name must start the line', '<START>\nMira: I told Ann: no.', [[a('I told Ann: no.')]]],
  ])('%s', (_name, text, expected) => {
    expect(parseExampleDialogues(text, speakers)).toEqual(expected);
  });
});
