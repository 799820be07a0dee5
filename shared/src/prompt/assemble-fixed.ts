import type { LoreBuckets } from '../lore/index.ts';
import type { BuildContext } from './assemble-context.ts';
import type { HostParts } from './assemble-history.ts';
import { overridable } from './assemble-macros.ts';
import { pushText, type Slot, type TextSpec } from './assemble-slots.ts';
import type { PartSource } from './assemble-types.ts';
import { DEFAULT_EXAMPLE_CHAT_PROMPT, DEFAULT_MAIN_PROMPT, DEFAULT_NEW_CHAT_PROMPT, DEFAULT_POST_HISTORY_PROMPT, EXAMPLE_USER_NAME } from './defaults.ts';
import { parseExampleDialogues } from './examples.ts';
import { messageText, type ChatMessage } from './types.ts';

// The fixed parts are never dropped to fit the context. Each function below runs its macros in
// SillyTavern's order (main, persona, card fields, examples, markers; post-history last), and
// `assemblePrompt` calls them in that order, because macro variables thread from part to part.

/** Main prompt: the card's `system_prompt` (with `{{original}}` = the default) or the template; 'merge' puts NextChat's text on top. */
function mainPrompt(build: BuildContext, hostSystem: readonly ChatMessage[]): TextSpec {
  const { card, templates, macros } = build;
  const cardMain = build.preferCard ? (card.system_prompt ?? '').trim() : '';
  let main = overridable(macros, 'main', templates.main ?? DEFAULT_MAIN_PROMPT, cardMain).trim();
  let source: PartSource = cardMain.length > 0 ? 'card' : 'settings';
  let label = cardMain.length > 0 ? "Main prompt (the card's system prompt)" : 'Main prompt';
  if ((build.input.hostSystemMode ?? 'drop') === 'merge') {
    const hostText = hostSystem.map((message) => messageText(message).trim()).filter((text) => text.length > 0).join('\n\n');
    if (hostText.length > 0) {
      main = main.length > 0 ? `${hostText}\n\n${main}` : hostText;
      source = 'host';
      label = `${label} with NextChat's system prompt on top`;
    }
  }
  return { id: 'main', label, source, role: 'system', text: main };
}

/**
 * Example dialogues: lore "before examples" blocks, the card's, lore "after examples" blocks; each block
 * is the example-chat marker followed by its turns.
 */
function exampleSlots(build: BuildContext, buckets: Pick<LoreBuckets, 'emTop' | 'emBottom'>): Slot[] {
  const { card, templates, macros, userName, charName } = build;
  const speakers = { user: userName, char: [charName, card.name] };
  const blocks: { messages: ChatMessage[]; source: PartSource }[] = [];
  const addBlocks = (text: string, source: PartSource) => {
    for (const messages of parseExampleDialogues(text, speakers)) blocks.push({ messages, source });
  };
  for (const text of buckets.emTop) addBlocks(text, 'lore');
  const cardExamples = card.mes_example?.trim() ?? '';
  if (cardExamples.length > 0) addBlocks(macros.run(cardExamples, 'examples'), 'card');
  for (const text of buckets.emBottom) addBlocks(text, 'lore');
  const marker = blocks.length > 0 ? macros.run(templates.exampleChat ?? DEFAULT_EXAMPLE_CHAT_PROMPT, 'example-chat') : '';
  const slots: Slot[] = [];
  blocks.forEach((block, b) => {
    pushText(slots, { id: `example-${b}`, label: `Example dialogue ${b + 1}: marker`, source: 'settings', role: 'system', text: marker });
    block.messages.forEach((message, i) => {
      const who = message.name === undefined ? 'text' : message.name === EXAMPLE_USER_NAME ? userName : charName;
      slots.push({ message, id: `example-${b}-${i}`, label: `Example dialogue ${b + 1}: ${who}`, source: block.source });
    });
  });
  return slots;
}

/**
 * The chat's pinned facts as one system message: the person's own words, never macro-expanded (like the
 * history), always in (they are what the person asked the character never to forget).
 */
function memoryFacts(build: BuildContext): TextSpec {
  return factsPart('memory-facts', 'Memory: pinned facts', `[What ${build.charName} knows from this chat]`, build.input.memory?.facts);
}

/** The facts pinned in the character's other chats (long-term memory), right after this chat's: as stable. */
function longTermFacts(build: BuildContext): TextSpec {
  return factsPart(LONG_TERM_FACTS_PART, "Memory: facts from the character's other chats", `[What ${build.charName} remembers from other chats]`, build.input.memory?.longTerm?.facts);
}

function factsPart(id: string, label: string, header: string, list: readonly string[] | undefined): TextSpec {
  const facts = (list ?? []).map((fact) => fact.trim()).filter((fact) => fact.length > 0);
  const text = facts.length > 0 ? [header, ...facts.map((fact) => `- ${fact}`)].join('\n') : '';
  return { id, label, source: 'memory', role: 'system', text };
}

/** The ids of the parts that hold pinned facts (always in, counted against the memory budget first). */
export const LONG_TERM_FACTS_PART = 'memory-long-term-facts';
export const FACTS_PARTS: ReadonlySet<string> = new Set(['memory-facts', LONG_TERM_FACTS_PART]);

/**
 * Everything before the history, in SillyTavern's order: NextChat's system prompt (with 'keep'), main
 * prompt, World Info before, persona, description, personality, scenario, World Info after, example
 * dialogues, NextChat's kept context, the chat's pinned facts, and the start-of-chat marker.
 */
export function layoutHead(build: BuildContext, buckets: LoreBuckets, host: Pick<HostParts, 'system' | 'context'>): Slot[] {
  const { input, card, templates, macros, userName } = build;
  const head: Slot[] = [];
  if ((input.hostSystemMode ?? 'drop') === 'keep') {
    host.system.forEach((message, i) => {
      if (messageText(message).trim().length > 0) head.push({ message, id: `host-system-${i}`, label: "NextChat's system prompt", source: 'host' });
    });
  }
  pushText(head, mainPrompt(build, host.system));
  pushText(head, { id: 'world-info-before', label: 'World Info (before the character)', source: 'lore', role: 'system', text: buckets.before.join('\n') });
  pushText(head, { id: 'persona', label: `Persona (${userName})`, source: 'persona', role: 'system', text: macros.run(input.persona?.description?.trim() ?? '', 'persona') });
  pushText(head, { id: 'description', label: 'Character description', source: 'card', role: 'system', text: macros.run(card.description?.trim() ?? '', 'description') });
  pushText(head, { id: 'personality', label: 'Personality', source: 'card', role: 'system', text: macros.run(card.personality?.trim() ?? '', 'personality') });
  pushText(head, { id: 'scenario', label: 'Scenario', source: 'card', role: 'system', text: macros.run(card.scenario?.trim() ?? '', 'scenario') });
  pushText(head, { id: 'world-info-after', label: 'World Info (after the character)', source: 'lore', role: 'system', text: buckets.after.join('\n') });
  head.push(...exampleSlots(build, buckets));
  host.context.forEach((message, i) => {
    head.push({ message, id: `host-context-${i}`, label: message.role === 'system' ? "NextChat's memory or mask context" : `NextChat's mask context (${message.role})`, source: 'host' });
  });
  // Last before the chat: what changes from turn to turn (summaries, recalled messages: `withMemory`)
  // then costs no cached prefix.
  pushText(head, memoryFacts(build));
  pushText(head, longTermFacts(build));
  pushText(head, { id: 'new-chat', label: 'Start of the chat marker', source: 'settings', role: 'system', text: macros.run(templates.newChat ?? DEFAULT_NEW_CHAT_PROMPT, 'new-chat') });
  return head;
}

/** Everything after the history: the post-history instructions, the card's (with `{{original}}` = the default) or the template. */
export function layoutTail(build: BuildContext): Slot[] {
  const { card, templates, macros } = build;
  const tail: Slot[] = [];
  const cardPost = build.preferCard ? (card.post_history_instructions ?? '').trim() : '';
  pushText(tail, {
    id: 'post-history',
    label: cardPost.length > 0 ? "Post-history instructions (the card's)" : 'Post-history instructions',
    source: cardPost.length > 0 ? 'card' : 'settings',
    role: 'system',
    text: overridable(macros, 'post-history', templates.postHistory ?? DEFAULT_POST_HISTORY_PROMPT, cardPost),
  });
  return tail;
}

/**
 * The head with the chat's memory parts (summaries, recalled messages) after the pinned facts, last
 * before the start-of-chat marker (or last, without a marker): the parts before them stay byte for byte
 * the same between turns.
 */
export function withMemory(head: readonly Slot[], memory: readonly Slot[]): Slot[] {
  if (memory.length === 0) return [...head];
  const marker = head.length > 0 && head[head.length - 1]!.id === 'new-chat' ? head.length - 1 : head.length;
  return [...head.slice(0, marker), ...memory, ...head.slice(marker)];
}
