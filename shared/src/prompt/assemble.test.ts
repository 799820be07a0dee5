import { describe, expect, it } from 'vitest';
import { tokenizerFor } from '../tokens/index.ts';
import { assemblePrompt } from './assemble.ts';
import type { AssembleInput, PromptCard } from './assemble-types.ts';
import { PromptError } from './errors.ts';
import { bot, countWords, input, lines, loreBook, MIRA, NEXTCHAT_SYSTEM, nextChatBody, sys, user } from './test-support.ts';
import { messageText, type ChatMessage } from './types.ts';

const MAIN = "system: Write Mira's next reply in a fictional chat between Mira and Ann.";

describe('assemblePrompt: SillyTavern order', () => {
  it('puts every part in its place', () => {
    const character: PromptCard = {
      ...MIRA,
      mes_example: '<START>\n{{user}}: Where is north?\n{{char}}: Wherever the map says.',
      post_history_instructions: 'Reply in two sentences.',
      extensions: { depth_prompt: { prompt: 'Remember the map.', depth: 2, role: 'system' } },
    };
    const book = loreBook('world', [
      { uid: 1, constant: true, position: 'before_char', content: 'Lore before.' },
      { uid: 2, constant: true, position: 'after_char', content: 'Lore after.' },
      { uid: 3, constant: true, position: 'at_depth', depth: 1, content: 'Lore at depth.' },
      { uid: 4, constant: true, position: 'an_top', content: 'AN top lore.' },
      { uid: 5, constant: true, position: 'an_bottom', content: 'AN bottom lore.' },
      { uid: 6, constant: true, position: 'em_top', content: '<START>\n{{user}}: Lore question\n{{char}}: Lore answer' },
    ]);
    const result = assemblePrompt(input({
      character,
      persona: { name: 'Ann', description: '{{user}} is a sailor.' },
      authorNote: { text: 'Keep it light.', depth: 1 },
      lore: { books: { global: [book] } },
      hostContextCount: 3,
      body: nextChatBody([
        sys(NEXTCHAT_SYSTEM),
        sys('This is a summary of the chat history as a recap: they met.'),
        user('Speak formally.'),
        bot('Understood.'),
        user('Old question'),
        bot('Old answer'),
        user('New question'),
      ]),
    }));
    expect(lines(result)).toEqual([
      MAIN,
      'system: Lore before.',
      'system: Ann is a sailor.',
      'system: Mira is a cartographer.',
      'system: Curious.',
      'system: Ann meets Mira at the docks.',
      'system: Lore after.',
      'system: [Example Chat]',
      'system/example_user: Lore question',
      'system/example_assistant: Lore answer',
      'system: [Example Chat]',
      'system/example_user: Where is north?',
      'system/example_assistant: Wherever the map says.',
      'system: This is a summary of the chat history as a recap: they met.',
      'user: Speak formally.',
      'assistant: Understood.',
      'system: [Start a new Chat]',
      'user: Old question',
      'system: Remember the map.',
      'assistant: Old answer',
      'system: AN top lore.\nKeep it light.\nAN bottom lore.\nLore at depth.',
      'user: New question',
      'system: Reply in two sentences.',
    ]);
    expect(result.parts.map((part) => part.id)).toEqual([
      'main', 'world-info-before', 'persona', 'description', 'personality', 'scenario', 'world-info-after',
      'example-0', 'example-0-0', 'example-0-1', 'example-1', 'example-1-0', 'example-1-1',
      'host-context-0', 'host-context-1', 'host-context-2', 'new-chat',
      'history-0', 'depth-2-system', 'history-1', 'depth-1-system', 'history-2', 'post-history',
    ]);
    expect(result.parts.map((part) => part.source)).toEqual([
      'settings', 'lore', 'persona', 'card', 'card', 'card', 'lore',
      'settings', 'lore', 'lore', 'settings', 'card', 'card',
      'host', 'host', 'host', 'settings',
      'history', 'card', 'history', 'injection', 'history', 'card',
    ]);
    expect(result.authorNoteInserted).toBe(true);
    expect(result.lore.entries.map((entry) => entry.uid).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('describes every message with one part, in the same order', () => {
    const result = assemblePrompt(input({
      character: { ...MIRA, mes_example: '<START>\n{{user}}: a\n{{char}}: b' },
      authorNote: { text: 'NOTE', depth: 1 },
      includeGreeting: true,
      body: nextChatBody([sys(NEXTCHAT_SYSTEM), user('one'), bot('two'), user('three')]),
    }));
    expect(result.parts.map((part) => [part.role, part.text])).toEqual(result.messages.map((message) => [message.role, messageText(message)]));
    expect(new Set(result.parts.map((part) => part.id)).size).toBe(result.parts.length);
  });

  it('never lets a host prefix longer than the body swallow the user message', () => {
    const result = assemblePrompt(input({ hostSystemPrefix: 9 }));
    expect(lines(result)).toEqual([MAIN, 'system: Mira is a cartographer.', 'system: Curious.', 'system: Ann meets Mira at the docks.', 'system: [Start a new Chat]', 'user: Hi']);
    expect(result.fit.fits).toBe(true);
  });

  it('leaves out empty parts instead of sending blank messages', () => {
    const result = assemblePrompt(input({
      character: { name: 'Mira', description: '  ', personality: '', scenario: '\n', mes_example: '<START>', post_history_instructions: ' ' },
      persona: { name: 'Ann', description: '' },
      authorNote: { text: '   ' },
      templates: { newChat: '' },
    }));
    expect(lines(result)).toEqual([MAIN, 'user: Hi']);
    expect(result.parts.every((part) => part.text.trim().length > 0)).toBe(true);
  });

  it('reads a full CCv3 Character, its nickname and its own lorebook', () => {
    const character = {
      spec: 'chara_card_v3' as const,
      spec_version: '3.0',
      data: {
        name: 'Mirabel', nickname: 'Mira', description: '{{char}} maps coasts.', personality: '', scenario: '', first_mes: '', mes_example: '',
        creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [], creator: '',
        character_version: '', extensions: {}, group_only_greetings: [],
        character_book: { extensions: {}, entries: [{ keys: ['lighthouse'], content: 'The lighthouse is dark.', extensions: {}, enabled: true, insertion_order: 10, use_regex: false }] },
      },
    };
    const result = assemblePrompt(input({ character, body: nextChatBody([user('Is the lighthouse lit?')]), hostSystemPrefix: 0 }));
    expect(lines(result)).toEqual([
      "system: Write Mira's next reply in a fictional chat between Mira and Ann.",
      'system: Mira maps coasts.',
      'system: The lighthouse is dark.',
      'system: [Start a new Chat]',
      'user: Is the lighthouse lit?',
    ]);
    expect(result.lore.entries[0]).toMatchObject({ book: 'Mirabel (card)', reason: { kind: 'key', primary: 'lighthouse' }, step: 1 });
  });
});

describe('assemblePrompt: insertions at a depth', () => {
  const history = [user('u1'), bot('b1'), user('u2'), bot('b2'), user('u3')];
  const build = (over: Partial<AssembleInput>) =>
    lines(assemblePrompt(input({ body: nextChatBody([sys(NEXTCHAT_SYSTEM), ...history]), templates: { newChat: '[new]' }, ...over })));
  const note = (depth: number, role?: 'system' | 'user' | 'assistant') => ({ authorNote: { text: 'NOTE', depth, role } });

  it.each<[string, Partial<AssembleInput>, string[]]>([
    ['depth 0 goes after the new user message', note(0), ['user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3', 'system: NOTE']],
    ['depth 1 goes before the new user message', note(1), ['user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'system: NOTE', 'user: u3']],
    ['depth 4 (the default) counts four messages back', { authorNote: { text: 'NOTE' } }, ['user: u1', 'system: NOTE', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3']],
    ['depth equal to the history goes first', note(5), ['system: NOTE', 'user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3']],
    ['depth beyond the history goes first, after the new-chat marker', note(50), ['system: NOTE', 'user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3']],
    ['a negative depth counts as 0', note(-3), ['user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3', 'system: NOTE']],
    ['the note keeps its role', note(2, 'user'), ['user: u1', 'assistant: b1', 'user: u2', 'user: NOTE', 'assistant: b2', 'user: u3']],
    [
      'depth prompt and note at the same depth and role share one message, note first',
      { ...note(1), character: { ...MIRA, description: '', personality: '', scenario: '', extensions: { depth_prompt: { prompt: 'DEPTH', depth: 1, role: 'system' } } } },
      ['user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'system: NOTE\nDEPTH', 'user: u3'],
    ],
    [
      'different roles at one depth: assistant, then user, then system (SillyTavern)',
      {
        ...note(1, 'user'),
        character: { ...MIRA, description: '', personality: '', scenario: '', extensions: { depth_prompt: { prompt: 'DEPTH', depth: 1, role: 'assistant' } } },
        lore: { books: { global: [loreBook('w', [{ uid: 1, constant: true, position: 'at_depth', depth: 1, role: 'system', content: 'LORE' }])] } },
      },
      ['user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'assistant: DEPTH', 'user: NOTE', 'system: LORE', 'user: u3'],
    ],
    [
      'deeper insertions beyond the history come first',
      {
        ...note(20),
        character: { ...MIRA, description: '', personality: '', scenario: '', extensions: { depth_prompt: { prompt: 'DEPTH', depth: 9 } } },
      },
      ['system: NOTE', 'system: DEPTH', 'user: u1', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3'],
    ],
  ])('%s', (_name, over, expected) => {
    const out = build(over);
    expect(out.slice(out.indexOf('system: [new]') + 1)).toEqual(expected);
  });

  it('uses the depth prompt defaults (depth 4, system) and expands its macros', () => {
    const out = build({ character: { ...MIRA, description: '', personality: '', scenario: '', extensions: { depth_prompt: { prompt: '{{char}} never lies.' } } } });
    expect(out.slice(-6)).toEqual(['user: u1', 'system: Mira never lies.', 'assistant: b1', 'user: u2', 'assistant: b2', 'user: u3']);
  });
});

describe("assemblePrompt: the author's note every N user turns", () => {
  const turns = (n: number): ChatMessage[] => Array.from({ length: n }, (_, i) => [user(`u${i + 1}`), bot(`b${i + 1}`)]).flat().slice(0, 2 * n - 1);
  const inserted = (everyN: number, userTurns: number, given?: number) =>
    assemblePrompt(input({ body: nextChatBody(turns(userTurns)), hostSystemPrefix: 0, authorNote: { text: 'NOTE', depth: 0, everyN }, userTurns: given })).authorNoteInserted;

  it.each([
    [0, 1, true], [0, 2, true], [1, 1, true], [1, 7, true],
    [3, 1, false], [3, 2, false], [3, 3, true], [3, 4, false], [3, 6, true],
  ])('everyN %i at user turn %i: inserted %s', (everyN, userTurns, expected) => {
    expect(inserted(everyN, userTurns)).toBe(expected);
  });

  it('counts the real chat from userTurns when NextChat sends only its tail', () => {
    expect(inserted(5, 1, 10)).toBe(true);
    expect(inserted(5, 1, 11)).toBe(false);
  });

  it('takes its lore (above and below the note) along only on its turns', () => {
    const lore = { books: { global: [loreBook('w', [{ uid: 1, constant: true, position: 'an_top' as const, content: 'TOP' }])] } };
    const on = assemblePrompt(input({ authorNote: { text: 'NOTE', depth: 0, everyN: 2 }, userTurns: 2, lore }));
    const off = assemblePrompt(input({ authorNote: { text: 'NOTE', depth: 0, everyN: 2 }, userTurns: 3, lore }));
    expect(lines(on).at(-1)).toBe('system: TOP\nNOTE');
    expect(lines(off).at(-1)).toBe('user: Hi');
  });
});

describe('assemblePrompt: card prompts and {{original}}', () => {
  it.each<[string, Partial<PromptCard>, AssembleInput['templates'], string, string | undefined]>([
    ['the card system prompt replaces the main prompt', { system_prompt: 'You are {{char}}.' }, undefined, 'You are Mira.', undefined],
    [
      '{{original}} inserts the replaced main prompt, macros expanded',
      { system_prompt: '{{original}} Stay in character.' },
      undefined,
      "Write Mira's next reply in a fictional chat between Mira and Ann. Stay in character.",
      undefined,
    ],
    ['a second {{original}} is empty', { system_prompt: '{{original}}|{{original}}' }, { main: 'M' }, 'M|', undefined],
    ['post-history {{original}} is the default (empty)', { post_history_instructions: '{{original}}Be brief.' }, undefined, MAIN.slice(8), 'Be brief.'],
    ['post-history {{original}} is the configured one', { post_history_instructions: '{{original}} Be brief.' }, { postHistory: 'Stay on topic.' }, MAIN.slice(8), 'Stay on topic. Be brief.'],
    ['preferCardPrompts off keeps the defaults', { system_prompt: 'X', post_history_instructions: 'Y' }, { preferCardPrompts: false, postHistory: 'P' }, MAIN.slice(8), 'P'],
  ])('%s', (_name, card, templates, main, post) => {
    const result = assemblePrompt(input({ character: { name: 'Mira', ...card }, templates: { newChat: '', ...templates } }));
    expect(result.messages[0]).toEqual({ role: 'system', content: main });
    expect(lines(result).slice(2)).toEqual(post === undefined ? [] : [`system: ${post}`]);
  });
});

describe("assemblePrompt: NextChat's own system prompt", () => {
  const body = nextChatBody([sys(NEXTCHAT_SYSTEM), user('Hi')]);
  it.each<[AssembleInput['hostSystemMode'], string[]]>([
    [undefined, [MAIN, 'system: Mira is a cartographer.']],
    ['drop', [MAIN, 'system: Mira is a cartographer.']],
    ['keep', [`system: ${NEXTCHAT_SYSTEM}`, MAIN, 'system: Mira is a cartographer.']],
    ['merge', [`system: ${NEXTCHAT_SYSTEM.trim()}\n\n${MAIN.slice(8)}`, 'system: Mira is a cartographer.']],
  ])('mode %s', (mode, head) => {
    const result = assemblePrompt(input({ body, hostSystemMode: mode, character: { name: 'Mira', description: '{{char}} is a cartographer.' } }));
    expect(lines(result)).toEqual([...head, 'system: [Start a new Chat]', 'user: Hi']);
  });

  it('keeps the host message object itself in keep mode', () => {
    const result = assemblePrompt(input({ body, hostSystemMode: 'keep' }));
    expect(result.messages[0]).toBe(body.messages[0]);
  });

  it('treats system messages after the prefix as kept context by default, and hostContextCount overrides it', () => {
    const messages = [sys(NEXTCHAT_SYSTEM), sys('memory'), user('mask user'), bot('mask bot'), user('Hi')];
    const plain = { character: { name: 'Mira' }, templates: { newChat: '[new]' } };
    const byDefault = lines(assemblePrompt(input({ ...plain, body: nextChatBody(messages) })));
    expect(byDefault.slice(1)).toEqual(['system: memory', 'system: [new]', 'user: mask user', 'assistant: mask bot', 'user: Hi']);
    const told = lines(assemblePrompt(input({ ...plain, body: nextChatBody(messages), hostContextCount: 3 })));
    expect(told.slice(1)).toEqual(['system: memory', 'user: mask user', 'assistant: mask bot', 'system: [new]', 'user: Hi']);
  });
});

describe('assemblePrompt: greeting', () => {
  const body = nextChatBody([sys(NEXTCHAT_SYSTEM), user('Hi')]);
  it.each<[string, Partial<AssembleInput>, string[]]>([
    ['not included by default', {}, ['user: Hi']],
    ['includeGreeting starts the history with first_mes, macros expanded', { includeGreeting: true }, ['assistant: Hello, Ann.', 'user: Hi']],
    ['an alternate greeting wins over first_mes', { includeGreeting: true, greeting: 'Ahoy, {{user}}!' }, ['assistant: Ahoy, Ann!', 'user: Hi']],
    ['a blank greeting is left out', { includeGreeting: true, character: { ...MIRA, first_mes: '  ' } }, ['user: Hi']],
  ])('%s', (_name, over, expected) => {
    const out = lines(assemblePrompt(input({ body, ...over })));
    expect(out.slice(out.indexOf('system: [Start a new Chat]') + 1)).toEqual(expected);
  });

  it('counts the greeting as history for depths and lore scanning', () => {
    const result = assemblePrompt(input({
      body,
      includeGreeting: true,
      character: { ...MIRA, first_mes: 'The tide is out.' },
      authorNote: { text: 'NOTE', depth: 1 },
      lore: { books: { global: [loreBook('w', [{ uid: 1, keys: ['tide'], content: 'Tides matter.' }])] } },
    }));
    expect(lines(result).slice(-3)).toEqual(['assistant: The tide is out.', 'system: NOTE', 'user: Hi']);
    expect(result.lore.entries.map((entry) => entry.content)).toEqual(['Tides matter.']);
  });
});

describe('assemblePrompt: macros', () => {
  it('uses one context for every part: nickname, persona, model, variables threaded in prompt order', () => {
    const result = assemblePrompt(input({
      character: {
        name: 'Mirabel',
        nickname: 'Mira',
        description: '{{char}} ({{setvar::mood::calm}}) talks to {{user}} on {{model}}.',
        scenario: 'Mood: {{getvar::mood}}. Visits: {{incvar::visits}}.',
      },
      persona: { name: 'Ann', description: '{{user}} asks about {{lastUserMessage}}.' },
      variables: { visits: '2' },
      templates: { newChat: '' },
    }));
    expect(lines(result)).toEqual([
      MAIN,
      'system: Ann asks about Hi.',
      'system: Mira () talks to Ann on gpt-4o-mini.',
      'system: Mood: calm. Visits: 3.',
      'user: Hi',
    ]);
    expect(result.variables).toEqual({ visits: '3', mood: 'calm' });
  });

  it('expands macros in lore keys and contents, and leaves the chat text alone', () => {
    const book = loreBook('w', [{ uid: 1, keys: ['{{char}}'], content: '{{char}} owes {{user}} a map.' }]);
    const result = assemblePrompt(input({ body: nextChatBody([user('Where is Mira? {{char}}')]), hostSystemPrefix: 0, lore: { books: { global: [book] } } }));
    expect(lines(result)).toContain('system: Mira owes Ann a map.');
    expect(lines(result).at(-1)).toBe('user: Where is Mira? {{char}}');
  });

  it('does not touch the variables it was given', () => {
    const variables = { x: '1' };
    const result = assemblePrompt(input({ character: { name: 'Mira', description: '{{setvar::x::2}}' }, variables }));
    expect(variables).toEqual({ x: '1' });
    expect(result.variables).toEqual({ x: '2' });
  });
});

describe('assemblePrompt: fitting the context', () => {
  // Word-count tokens: every message costs 3 + 1 (role) + its words; the request adds 3.
  const history = [user('one'), bot('two'), user('three'), bot('four'), user('five')];
  const character = { name: 'Mira', description: 'a b c d e f g h i j' };
  const build = (contextSize: number, over: Partial<AssembleInput> = {}) =>
    assemblePrompt(input({ character, body: nextChatBody([sys(NEXTCHAT_SYSTEM), ...history], { max_tokens: 10 }), contextSize, templates: { newChat: '' }, ...over }));
  // Main prompt 4 + 12 words, description 4 + 10, reply priming 3: 33 fixed; each history message 5.
  const FIXED = 33;

  it.each<[number, number, string[]]>([
    [1000, 0, ['user: one', 'assistant: two', 'user: three', 'assistant: four', 'user: five']],
    [10 + FIXED + 25, 0, ['user: one', 'assistant: two', 'user: three', 'assistant: four', 'user: five']],
    [10 + FIXED + 24, 1, ['assistant: two', 'user: three', 'assistant: four', 'user: five']],
    [10 + FIXED + 10, 3, ['assistant: four', 'user: five']],
    [10 + FIXED + 5, 4, ['user: five']],
  ])('context %i: drops %i of the oldest messages', (contextSize, dropped, kept) => {
    const result = build(contextSize);
    expect(lines(result).slice(2)).toEqual(kept);
    expect(result.trimmed).toEqual({ historyDropped: dropped, historyKept: kept.length, greetingDropped: false });
    expect(result.fit).toEqual({ contextSize, reserved: 10, available: contextSize - 10, total: FIXED + 5 * kept.length, fits: true });
  });

  it('drops the greeting first, as the oldest message', () => {
    const result = build(10 + FIXED + 25, { includeGreeting: true, character: { ...character, first_mes: 'Hello' } });
    expect(result.trimmed).toEqual({ historyDropped: 1, historyKept: 5, greetingDropped: true });
  });

  it('keeps insertions when their depth reaches past the kept history', () => {
    const result = build(10 + FIXED + 10 + 5, { authorNote: { text: 'NOTE', depth: 4 } });
    expect(lines(result).slice(2)).toEqual(['system: NOTE', 'assistant: four', 'user: five']);
  });

  it('says so when even the card and the new message do not fit, and sends the best fit', () => {
    const result = build(10 + 30);
    expect(lines(result)).toEqual([MAIN, 'system: a b c d e f g h i j', 'user: five']);
    expect(result.fit.fits).toBe(false);
    expect(result.fit.total).toBe(FIXED + 5);
    expect(result.fit.message).toBe(
      'The prompt needs 38 tokens, but only 30 are free (context 40 minus 10 kept for the reply), even with all older messages left out. ' +
        "It was sent as it is and the model may reject or cut it: shorten the card, the author's note or the lorebook budget, or raise the context size.",
    );
    expect(result.trimmed.historyDropped).toBe(4);
  });

  it('caps the reply reserve at half the context', () => {
    const result = build(100, { body: nextChatBody([user('x')], { max_tokens: 32_000 }), hostSystemPrefix: 0 });
    expect(result.fit.reserved).toBe(50);
  });

  it('counts exactly what the real tokenizer counts for the whole request', async () => {
    const tokenizer = await tokenizerFor('gpt-4o');
    const result = assemblePrompt(input({
      countTokens: tokenizer.count,
      character: { ...MIRA, mes_example: '<START>\n{{user}}: Hi there\n{{char}}: Hello!' },
      body: nextChatBody([sys(NEXTCHAT_SYSTEM), user('Old'), bot('Reply'), { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }]),
      authorNote: { text: 'Keep it light.' },
    }));
    expect(result.fit.total).toBe(tokenizer.countChat(result.messages));
    expect(result.parts.reduce((sum, part) => sum + part.tokens, 3)).toBe(result.fit.total);
  });
});

describe('assemblePrompt: requests as NextChat sends them', () => {
  it('keeps multimodal user content intact, image parts untouched, and every other body key', () => {
    const picture: ChatMessage = { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } }] };
    const body = nextChatBody([sys(NEXTCHAT_SYSTEM), user('Earlier'), bot('Answer'), picture]);
    const copy = structuredClone(body);
    const result = assemblePrompt(input({ body }));
    expect(result.messages.at(-1)).toBe(picture);
    expect(result.messages.at(-1)).toEqual(copy.messages[3]);
    expect(result.parts.at(-1)).toMatchObject({ id: 'history-2', text: 'What is this?', role: 'user', source: 'history' });
    const { messages: _out, ...restOut } = result.body;
    const { messages: _in, ...restIn } = copy;
    expect(restOut).toEqual(restIn);
    expect(body).toEqual(copy);
  });

  it('scans the history as "Name: text" lines', () => {
    const book = loreBook('w', [{ uid: 1, keys: ['Ann:'], content: 'Ann spoke.' }, { uid: 2, keys: ['Mira:'], content: 'Mira spoke.' }]);
    const result = assemblePrompt(input({ body: nextChatBody([bot('hello'), user('hi')]), hostSystemPrefix: 0, lore: { books: { global: [book] } } }));
    expect(result.lore.entries.map((entry) => entry.uid).sort()).toEqual([1, 2]);
  });
});

describe('assemblePrompt: lore problems are warnings, never throws', () => {
  it('reports a bad regex key and still builds', () => {
    const book = loreBook('w', [{ uid: 1, keys: ['/([a-z/'], content: 'never' }, { uid: 2, keys: ['hi'], content: 'Greeting lore.' }]);
    const result = assemblePrompt(input({ lore: { books: { global: [book] } } }));
    expect(result.lore.warnings).toEqual([expect.objectContaining({ code: 'lore/bad-regex', book: 'w', uid: 1 })]);
    expect(lines(result)).toContain('system: Greeting lore.');
  });

  it('bounds runaway recursion and surfaces the engine warning', () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({ uid: i, keys: [`k${i}`], content: `k${i + 1}` }));
    const result = assemblePrompt(input({ body: nextChatBody([user('k0')]), hostSystemPrefix: 0, lore: { books: { global: [loreBook('chain', entries)] }, settings: { recursive: true } } }));
    expect(result.lore.warnings.map((warning) => warning.code)).toContain('lore/recursion-limit');
    expect(result.lore.passes).toBe(16);
  });

  it('returns the timed state for the caller to persist, counted in the real chat length', () => {
    const book = loreBook('w', [{ uid: 1, keys: ['storm'], content: 'A storm.', sticky: 3 }]);
    const first = assemblePrompt(input({ body: nextChatBody([user('storm')]), hostSystemPrefix: 0, chatLength: 40, lore: { books: { global: [book] } } }));
    expect(first.timedState.sticky['w.1']).toMatchObject({ start: 40, end: 43 });
    const next = assemblePrompt(input({ body: nextChatBody([user('calm')]), hostSystemPrefix: 0, chatLength: 42, lore: { books: { global: [book] }, timedState: first.timedState } }));
    expect(next.lore.entries[0]).toMatchObject({ uid: 1, reason: { kind: 'sticky' } });
  });

  it('refuses a context size that is not a positive number', () => {
    expect(() => assemblePrompt(input({ contextSize: Number.NaN }))).toThrow(PromptError);
    expect(() => assemblePrompt(input({ contextSize: 0 }))).toThrow(expect.objectContaining({ code: 'prompt/bad-context-size' }));
    expect(() => assemblePrompt(input({ body: nextChatBody([]) }))).toThrow(expect.objectContaining({ code: 'prompt/empty-body' }));
  });
});

describe('assemblePrompt: token counts are cached per counter', () => {
  it('counts each text once across builds', () => {
    const seen: string[] = [];
    const counter = (text: string) => {
      seen.push(text);
      return countWords(text);
    };
    const build = () => assemblePrompt(input({ countTokens: counter, body: nextChatBody([user('a long enough message'), bot('an answer'), user('Hi')]), hostSystemPrefix: 0 }));
    const first = build();
    const counted = seen.length;
    const second = build();
    expect(seen.length).toBe(counted);
    expect(second.parts).toEqual(first.parts);
  });
});
