import { beforeAll, describe, expect, it } from 'vitest';
import { tokenizerFor, type Tokenizer } from '../tokens/index.ts';
import { splitSentences, summariseExtractive, type ExtractiveMessage } from './extractive.ts';
import { EXTRACTIVE_MAX_SENTENCE_CHARS } from './limits.ts';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await tokenizerFor('gpt-4o');
});

const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('splitSentences', () => {
  it.each<[string, string[]]>([
    ['One. Two! Three? Four', ['One.', 'Two!', 'Three?', 'Four']],
    ['Dr. Vance met Mr. Holmes at St. Mary. They talked.', ['Dr. Vance met Mr. Holmes at St. Mary.', 'They talked.']],
    ['"Go!" she said. "Now!" Then he ran.', ['"Go!" she said.', '"Now!"', 'Then he ran.']],
    ['He said "stop." Then he left.', ['He said "stop."', 'Then he left.']],
    ['Well... maybe. I don\'t know… Fine.', ['Well... maybe.', "I don't know…", 'Fine.']],
    ['It costs 3.50 gold. See example.com today.', ['It costs 3.50 gold.', 'See example.com today.']],
    ['J. R. R. Tolkien wrote it. No. 5 is mine. He said no. Then left.', ['J. R. R. Tolkien wrote it.', 'No. 5 is mine.', 'He said no.', 'Then left.']],
    ['The U.S. Army came. It rained.', ['The U.S. Army came.', 'It rained.']],
    ['*She smiles.* "Hello there." *She waves.*', ['*She smiles.*', '"Hello there."', '*She waves.*']],
    ['Wait?! Really?', ['Wait?!', 'Really?']],
    ['我们明天去北京。你呢？好的！', ['我们明天去北京。', '你呢？', '好的！']],
    ['「行こう！」と彼は言った。「うん。」「よし。」', ['「行こう！」と彼は言った。', '「うん。」', '「よし。」']],
    ['你好!我是小明', ['你好!', '我是小明']],
    ['First line\nsecond line without a stop\r\n\r\nthird.', ['First line', 'second line without a stop', 'third.']],
  ])('%j', (text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('drops pieces with no letter or digit', () => {
    expect(splitSentences('... !!! \n * * *\n—')).toEqual([]);
    expect(splitSentences('')).toEqual([]);
  });

  it('cuts a run-on sentence at its clauses, and a clause-less one at words', () => {
    const clause = 'the caravan rolled on through the dust of the southern road';
    const runOn = Array.from({ length: 12 }, () => clause).join(', ') + '.';
    const pieces = splitSentences(runOn);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(EXTRACTIVE_MAX_SENTENCE_CHARS);
    expect(pieces.join(' ')).toBe(runOn);
    const noCommas = 'word '.repeat(200).trim();
    const cut = splitSentences(noCommas);
    for (const piece of cut) expect(piece.length).toBeLessThanOrEqual(EXTRACTIVE_MAX_SENTENCE_CHARS);
    expect(cut.join(' ')).toBe(noCommas);
  });
});

const chitChat = ['haha ok', 'Sure!', 'lol yeah', 'Okay okay.', 'Hmm.', 'Nice!', 'Thanks!', 'Yes, sure.', 'Oh wow.', 'Right, right.'];
const facts = [
  'Aldric promised to return the silver compass by the winter solstice.',
  'My sister Elowen lives in Port Varrow, above the old lighthouse.',
  'The wolf bite left a deep wound on Aldric’s left arm.',
  'Captain Thessaly owes us 40 gold crowns for the cargo.',
  'The password to the vault beneath Kestrel Hall is "amber tide".',
];

/** A chat where each planted fact sits between lines of chit-chat. */
function plantedChat(): ExtractiveMessage[] {
  const out: ExtractiveMessage[] = [];
  let n = 0;
  for (const fact of facts) {
    for (const line of chitChat.slice(0, 4)) out.push({ id: `m${n++}`, role: n % 2 ? 'user' : 'assistant', name: n % 2 ? 'Mira' : 'Aldric', text: line });
    out.push({ id: `m${n++}`, role: 'assistant', name: 'Aldric', text: `${chitChat[n % chitChat.length]} ${fact} Anyway, it is a lovely evening.` });
  }
  return out;
}

describe('summariseExtractive', () => {
  it('keeps the facts and drops the chit-chat', () => {
    const messages = plantedChat();
    const summary = summariseExtractive(messages, { budgetTokens: 110, countTokens: tokenizer.count });
    for (const fact of facts) expect(summary.text).toContain(fact);
    for (const line of ['haha', 'Sure', 'lol', 'Okay', 'Hmm', 'Nice', 'Thanks']) expect(summary.text).not.toContain(line);
    expect(summary.tokens).toBeLessThanOrEqual(110);
    expect(summary.tokens).toBe(tokenizer.count(summary.text));
  });

  it('keeps 50 facts planted in 500 messages of small talk and scenery, 20 messages to 120 tokens', () => {
    const scenery = [
      'The fire crackled softly in the hearth.',
      'She glanced out of the window at the grey sky.',
      'He leaned back in his chair and sighed.',
      'The wind rattled the shutters of the old inn.',
      'They walked on in comfortable silence for a while.',
      'Rain drummed against the roof all evening.',
    ];
    const names = ['Aldric', 'Elowen', 'Thessaly', 'Brannoc', 'Orla'];
    const places = ['Port Varrow', 'Kestrel Hall', 'Ravenford', 'Harrowgate', 'Duskmere'];
    const planted = (i: number): string => {
      const [who, where, n] = [names[i % 5]!, places[(i * 3) % 5]!, 2 + ((i * 37) % 90)];
      return [
        `${who} promised to return the iron key to ${where} within ${n} days.`,
        `${who} broke a wrist falling from the walls of ${where}.`,
        `${who} owes the innkeeper of ${where} ${n} gold crowns.`,
        `${who} hid the amber ring under the ${n}th stair of ${where}.`,
        `${who} was born in ${where} in the year ${1400 + n}.`,
      ][i % 5]!;
    };
    const messages: ExtractiveMessage[] = Array.from({ length: 500 }, (_, i) => {
      const parts = [chitChat[i % chitChat.length]!, scenery[i % 6]!, scenery[(i * 5 + 1) % 6]!];
      if (i % 10 === 3) parts.splice(i % 3, 0, planted(i / 10 | 0));
      return { id: `m${i}`, role: i % 2 ? 'assistant' : 'user', name: i % 2 ? 'Aldric' : 'Mira', text: parts.join(' ') };
    });
    let kept = 0;
    for (let start = 0; start < 500; start += 20) {
      const summary = summariseExtractive(messages.slice(start, start + 20), { budgetTokens: 120, countTokens: tokenizer.count });
      expect(summary.tokens).toBeLessThanOrEqual(120);
      for (let i = start + 3; i < start + 20; i += 10) if (summary.text.includes(planted(i / 10 | 0))) kept++;
    }
    expect(kept).toBe(50);
  });

  it('prefers a fact to small talk when only one fits', () => {
    const messages: ExtractiveMessage[] = [
      { id: 'a', role: 'user', name: 'Mira', text: 'The weather is quite pleasant today, is it not?' },
      { id: 'b', role: 'assistant', name: 'Aldric', text: 'Aldric promised to return the silver compass by the winter solstice.' },
      { id: 'c', role: 'user', name: 'Mira', text: 'I really enjoy talking with you like this.' },
    ];
    const summary = summariseExtractive(messages, { budgetTokens: 25, countTokens: tokenizer.count });
    expect(summary.text).toBe('Aldric: Aldric promised to return the silver compass by the winter solstice.');
    expect(summary.messageIds).toEqual(['b']);
  });

  it('prefixes each line with its speaker (none for an unnamed system text: a summary being merged), keeps the original order and says where each sentence came from', () => {
    const messages: ExtractiveMessage[] = [
      { id: 'u1', role: 'user', name: 'Mira', text: 'Haha ok. Elowen moved to Port Varrow in 1452. She sells maps there.' },
      { id: 'a1', role: 'assistant', name: 'Aldric', text: 'Sure! I will meet Elowen at the Gilded Anchor on the third night.' },
      { id: 's1', role: 'system', name: '', text: 'The storm destroyed the eastern bridge at Harrowgate.' },
    ];
    const summary = summariseExtractive(messages, { budgetTokens: 200, countTokens: tokenizer.count });
    expect(summary.text).toBe(
      [
        'Mira: Elowen moved to Port Varrow in 1452. She sells maps there.',
        'Aldric: I will meet Elowen at the Gilded Anchor on the third night.',
        'The storm destroyed the eastern bridge at Harrowgate.',
      ].join('\n'),
    );
    expect(summary.sentences.map((s) => [s.messageId, s.speaker, s.text])).toEqual([
      ['u1', 'Mira', 'Elowen moved to Port Varrow in 1452.'],
      ['u1', 'Mira', 'She sells maps there.'],
      ['a1', 'Aldric', 'I will meet Elowen at the Gilded Anchor on the third night.'],
      ['s1', '', 'The storm destroyed the eastern bridge at Harrowgate.'],
    ]);
    expect(summary.messageIds).toEqual(['u1', 'a1', 's1']);
    for (const sentence of summary.sentences) expect(sentence.score).toBeGreaterThan(0);
  });

  it('never exceeds the budget, with a real tokenizer or a word counter', () => {
    const messages = plantedChat();
    for (const countTokens of [tokenizer.count, countWords]) {
      for (let budget = 0; budget <= 160; budget += 7) {
        const summary = summariseExtractive(messages, { budgetTokens: budget, countTokens });
        expect(summary.tokens).toBeLessThanOrEqual(budget);
        expect(summary.text === '' ? 0 : countTokens(summary.text)).toBe(summary.tokens);
        if (budget >= 30) expect(summary.sentences.length).toBeGreaterThan(0);
      }
    }
  });

  it('drops sentences that do not fit the estimate once the real text is counted', () => {
    // A counter that charges joins more than their parts: the final check must trim.
    const strict = (text: string): number => countWords(text) + (text.match(/\n/g)?.length ?? 0) * 5;
    const summary = summariseExtractive(plantedChat(), { budgetTokens: 40, countTokens: strict });
    expect(summary.tokens).toBeLessThanOrEqual(40);
    expect(summary.sentences.length).toBeGreaterThan(0);
    expect(strict(summary.text)).toBe(summary.tokens);
  });

  it('is deterministic', () => {
    const a = summariseExtractive(plantedChat(), { budgetTokens: 60, countTokens: tokenizer.count });
    const b = summariseExtractive(plantedChat(), { budgetTokens: 60, countTokens: tokenizer.count });
    expect(b).toEqual(a);
  });

  it('returns an empty summary for nothing, for chit-chat only, or when no sentence fits', () => {
    const empty = { text: '', tokens: 0, sentences: [], messageIds: [] };
    expect(summariseExtractive([], { budgetTokens: 100, countTokens: tokenizer.count })).toEqual(empty);
    const chat = chitChat.map((text, i) => ({ id: `c${i}`, role: 'user', name: 'Mira', text }));
    expect(summariseExtractive(chat, { budgetTokens: 100, countTokens: tokenizer.count })).toEqual(empty);
    const long = [{ id: 'x', role: 'user', name: 'Mira', text: facts[0]! }];
    expect(summariseExtractive(long, { budgetTokens: 5, countTokens: tokenizer.count })).toEqual(empty);
    for (const budgetTokens of [0, -10, Number.NaN]) expect(summariseExtractive(long, { budgetTokens, countTokens: tokenizer.count })).toEqual(empty);
  });

  it('does not repeat a sentence said twice (a regenerated reply, an echo)', () => {
    const line = 'Aldric promised to return the silver compass by the winter solstice.';
    const messages: ExtractiveMessage[] = [
      { id: 'a', role: 'assistant', name: 'Aldric', text: line },
      { id: 'b', role: 'user', name: 'Mira', text: `"${line}"` },
      { id: 'c', role: 'user', name: 'Mira', text: 'Elowen keeps the key under the blue stone.' },
    ];
    const summary = summariseExtractive(messages, { budgetTokens: 200, countTokens: tokenizer.count });
    expect(summary.text.split('silver compass')).toHaveLength(2);
    expect(summary.text).toContain('blue stone');
  });

  it('spreads over different facts before saying the same one twice', () => {
    const messages: ExtractiveMessage[] = [
      { id: 'a', role: 'assistant', name: 'Aldric', text: 'The silver compass belonged to Aldric’s father, Captain Roderic Vane.' },
      { id: 'b', role: 'assistant', name: 'Aldric', text: 'The silver compass of Captain Roderic Vane points to the sunken city.' },
      { id: 'c', role: 'user', name: 'Mira', text: 'Elowen broke her wrist falling from the Kestrel Hall stairs.' },
    ];
    // Room for two of the three: the second pick is the other fact, not the compass again.
    const budgetTokens = tokenizer.count(`Aldric: ${messages[1]!.text}\nMira: ${messages[2]!.text}`) + 2;
    const summary = summariseExtractive(messages, { budgetTokens, countTokens: tokenizer.count });
    expect(summary.sentences).toHaveLength(2);
    expect(summary.messageIds).toContain('c');
  });

  it('weights names and numbers up: of two equal sentences, the one with them wins', () => {
    const messages: ExtractiveMessage[] = [
      { id: 'plain', role: 'user', name: 'Mira', text: 'the merchant sold a horse to the farmer yesterday.' },
      { id: 'named', role: 'user', name: 'Mira', text: 'Brannoc sold 12 horses to Orla Fenwick yesterday.' },
    ];
    // Room for either one, not both.
    const budgetTokens = Math.max(...messages.map((m) => tokenizer.count(`Mira: ${m.text}`))) + 1;
    expect(tokenizer.count(messages.map((m) => `Mira: ${m.text}`).join('\n'))).toBeGreaterThan(budgetTokens);
    const summary = summariseExtractive(messages, { budgetTokens, countTokens: tokenizer.count });
    expect(summary.messageIds).toEqual(['named']);
  });

  it('summarises CJK chats', () => {
    const messages: ExtractiveMessage[] = [
      { id: 'a', role: 'user', name: '小明', text: '哈哈。好的！' },
      { id: 'b', role: 'assistant', name: '艾德', text: '我答应在冬至前归还银色指南针。今天天气不错。' },
    ];
    const summary = summariseExtractive(messages, { budgetTokens: 30, countTokens: tokenizer.count });
    expect(summary.text).toContain('艾德: 我答应在冬至前归还银色指南针。');
    expect(summary.tokens).toBeLessThanOrEqual(30);
  });

  it.each([
    ['haha ok My sister Elowen lives in Port Varrow.', 'My sister Elowen lives in Port Varrow.'],
    ['Yeah, lol, Elowen broke her wrist.', 'Elowen broke her wrist.'],
    ['Oh. Well... the bridge at Harrowgate fell.', 'the bridge at Harrowgate fell.'],
    ['Right hand of Aldric was broken in the fight.', 'Right hand of Aldric was broken in the fight.'],
  ])('drops the chit-chat opening %j', (text, kept) => {
    const summary = summariseExtractive([{ id: 'a', role: 'user', name: 'Mira', text }], { budgetTokens: 100, countTokens: tokenizer.count });
    expect(summary.sentences.map((s) => s.text)).toEqual([kept]);
  });

  it('removes role-play emphasis asterisks and falls back to the role for a nameless speaker', () => {
    const messages: ExtractiveMessage[] = [{ id: 'a', role: 'assistant', name: '  ', text: '*Aldric draws the silver compass from his coat and hands it to Mira.*' }];
    const summary = summariseExtractive(messages, { budgetTokens: 100, countTokens: tokenizer.count });
    expect(summary.text).toBe('assistant: Aldric draws the silver compass from his coat and hands it to Mira.');
  });
});
