import { EXAMPLE_ASSISTANT_NAME, EXAMPLE_USER_NAME } from './defaults.ts';
import type { ChatMessage } from './types.ts';

const START = /<START>/i;

export interface ExampleSpeakers {
  /** The user's name as it begins a user line (`Ann:`). */
  user: string;
  /** Names that begin a character line: the name `{{char}}` gives, plus the card's own name. */
  char: readonly string[];
}

/**
 * Splits a card's example dialogues (`mes_example`, macros already expanded) into its `<START>` blocks,
 * and each block into the messages SillyTavern sends for chat completion: system messages named
 * `example_user` / `example_assistant`, one per speaker turn, with the `Name:` prefix removed. Lines before
 * the first speaker line belong to the first turn (as in SillyTavern); a block with no speaker line at all
 * is kept as one unnamed system message instead of being lost. Empty blocks and turns are left out.
 *
 * @example parseExampleDialogues('<START>\nAnn: Hi\nMira: Hello', { user: 'Ann', char: ['Mira'] })
 * // [[{role:'system', name:'example_user', content:'Hi'}, {role:'system', name:'example_assistant', content:'Hello'}]]
 */
export function parseExampleDialogues(text: string, speakers: ExampleSpeakers): ChatMessage[][] {
  const blocks: ChatMessage[][] = [];
  for (const raw of text.split(START)) {
    const block = raw.trim();
    if (block.length === 0) continue;
    const messages = parseBlock(block, speakers);
    if (messages.length > 0) blocks.push(messages);
  }
  return blocks;
}

function parseBlock(block: string, speakers: ExampleSpeakers): ChatMessage[] {
  const userPrefix = `${speakers.user}:`;
  const charPrefixes = [...new Set(speakers.char.filter((name) => name.length > 0).map((name) => `${name}:`))];
  const messages: ChatMessage[] = [];
  let speaker: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    const content = lines.join('\n').trim();
    if (speaker !== null && content.length > 0) messages.push({ role: 'system', name: speaker, content });
    lines = [];
  };
  for (const line of block.split('\n')) {
    // The user is checked first, as SillyTavern does when both names could match.
    const prefix = line.startsWith(userPrefix) ? userPrefix : charPrefixes.find((p) => line.startsWith(p));
    if (prefix === undefined) {
      lines.push(line);
      continue;
    }
    const next = prefix === userPrefix ? EXAMPLE_USER_NAME : EXAMPLE_ASSISTANT_NAME;
    // Text before the first speaker line stays with the first turn.
    if (speaker !== null) flush();
    speaker = next;
    lines.push(line.slice(prefix.length).trimStart());
  }
  if (speaker === null) return [{ role: 'system', content: block }];
  flush();
  return messages;
}
