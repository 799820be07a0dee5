import { describe, expect, it } from 'vitest';
import { RecallIndex } from '../memory/index.ts';
import { TOKENS_PER_MESSAGE } from '../tokens/index.ts';
import { assemblePrompt } from './assemble.ts';
import type { AssembledPrompt, AssembleInput, MemoryInput } from './assemble-types.ts';
import { toPromptReport } from './report.ts';
import { countWords, input, lines, NEXTCHAT_SYSTEM, nextChatBody, sys, user, bot } from './test-support.ts';
import { messageText, type ChatMessage } from './types.ts';

describe('assemblePrompt: the chat\'s memory', () => {
  it('puts pinned facts last before the chat, as the person wrote them (no macros), labelled for the inspector', () => {
    const result = assemblePrompt(input({
      memory: { facts: ['Ann\'s sister is called {{char}}ine? No: Ilse.', '  ', 'The compass is due back by the winter solstice.'] },
      body: nextChatBody([sys(NEXTCHAT_SYSTEM), user('Hello'), bot('Hi'), user('What do you remember?')]),
    }));
    const all = lines(result);
    const memory = all.findIndex((line) => line.startsWith('system: [What Mira knows from this chat]'));
    expect(all[memory]).toBe("system: [What Mira knows from this chat]\n- Ann's sister is called {{char}}ine? No: Ilse.\n- The compass is due back by the winter solstice.");
    expect(all[memory + 1]).toBe('system: [Start a new Chat]');
    expect(result.parts.find((part) => part.id === 'memory-facts')).toMatchObject({ label: 'Memory: pinned facts', source: 'memory', role: 'system' });
  });

  it('adds nothing without facts, and pinned facts are never dropped to fit: older history goes first', () => {
    const plain = assemblePrompt(input({ memory: { facts: [] } }));
    expect(plain.parts.some((part) => part.source === 'memory')).toBe(false);
    const history = Array.from({ length: 30 }, (_, i) => (i % 2 ? bot(`reply ${i} `.repeat(20)) : user(`question ${i} `.repeat(20))));
    const tight = assemblePrompt(input({
      contextSize: 900,
      countTokens: countWords,
      memory: { facts: ['Ilse keeps bees in Harrowgate.'] },
      body: nextChatBody([...history, user('And now?')]),
    }));
    expect(tight.trimmed.historyDropped).toBeGreaterThan(0);
    expect(tight.parts.some((part) => part.id === 'memory-facts')).toBe(true);
  });
});

// ---- memory beyond the window -----------------------------------------------------------------

/** Chit-chat that matches nothing the tests ask about (no shared content words). */
const FILLER = [
  'We walked along the quay and watched gulls circle above grey water for a while, then sat on a bench by the old crane and counted boats coming back in.',
  'The tea shop was warm, so we stayed until evening and talked about nothing much at all, laughing at the cat asleep in the window among the cakes.',
];
const FACT = 'Ilse hid the silver compass under the lighthouse stairs before she sailed north.';

/** A chat of `n` messages (user first) with ids `m0…`, the planted fact at `m3`, ending with `question`. */
function longChat(n: number, question = 'Where did Ilse hide the silver compass?') {
  const messages = Array.from({ length: n }, (_, i) => {
    const text = i === 3 ? FACT : `${FILLER[i % 2]} (${i})`;
    return i % 2 ? bot(text) : user(text);
  });
  const ids = [...messages.map((_, i) => `m${i}`), `m${n}`];
  return { messages: [...messages, user(question)], ids };
}

/** A recall function over the chat, as the caller keeps it: a RecallIndex filtered to the candidates. */
function recallOver(messages: readonly ChatMessage[], ids: readonly string[], calls: { n: number } = { n: 0 }) {
  const index = new RecallIndex();
  messages.slice(0, -1).forEach((message, i) => index.upsert({ id: ids[i]!, kind: 'message', text: messageText(message), tokens: 0, order: i }));
  return (query: string, candidates: ReadonlySet<string>) => {
    calls.n++;
    const out = new Map<string, number>();
    for (const [id, score] of index.scores(query)) if (candidates.has(id)) out.set(id, score);
    return out;
  };
}

const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);
const memoryParts = (result: AssembledPrompt) => result.parts.filter((part) => part.source === 'memory');
const historyTexts = (result: AssembledPrompt) => result.parts.filter((part) => part.source === 'history').map((part) => part.text);
/** What a part costs with the test counter, counted on its whole text: the sum the memory phase keeps must match it. */
const exactCost = (text: string) => TOKENS_PER_MESSAGE + countWords('system') + countWords(text);

/** A 2,000-token context (1,000 kept for the reply): 60 chat messages (~35 tokens each) do not fit; memory may take 300 (30% of the prompt's 1,000). */
function overflow(memory: MemoryInput, n = 60, extra: Partial<AssembleInput> = {}) {
  const chat = longChat(n);
  return { chat, result: assemblePrompt(input({ contextSize: 2000, body: nextChatBody([sys(NEXTCHAT_SYSTEM), ...chat.messages]), memory: { historyIds: chat.ids, share: 0.3, ...memory }, ...extra })) };
}

describe('assemblePrompt: memory beyond the window', () => {
  it('adds nothing while the whole history fits: every message is there itself, recall is not asked', () => {
    const { messages, ids } = longChat(60);
    const calls = { n: 0 };
    const body = nextChatBody([sys(NEXTCHAT_SYSTEM), ...messages]);
    const plain = assemblePrompt(input({ body, memory: { facts: ['Ilse keeps bees.'] } }));
    const withMemory = assemblePrompt(input({ body, memory: { facts: ['Ilse keeps bees.'], historyIds: ids, summaries: [{ id: 's0', text: 'They met.', covers: span(0, 9) }], recall: recallOver(messages, ids, calls) } }));
    expect(withMemory.trimmed.historyDropped).toBe(0);
    expect(lines(withMemory)).toEqual(lines(plain));
    expect(calls.n).toBe(0);
    // 15% of what the prompt may hold: the 100,000-token context less the 4,000 kept for the reply.
    expect(withMemory.memory).toMatchObject({ budget: 14_400, summaries: [], recalled: [] });
    expect(withMemory.memory!.used).toBe(withMemory.memory!.facts);
  });

  it('puts summaries of the left-out part after the facts, the one standing for more messages first, and never a kept message twice', () => {
    const summaries = [
      { id: 's0', text: 'Ann and {{char}} met at the docks.', covers: span(0, 4) },
      { id: 's1', text: 'They drank tea.', covers: span(5, 9) },
      { id: 's01', text: 'Ann and Mira met at the docks and drank tea.', covers: span(0, 9) },
      { id: 's2', text: 'They walked on the quay.', covers: span(10, 19) },
      { id: 's3', text: 'Reaching into the kept history.', covers: span(40, 59) },
    ];
    const { chat, result } = overflow({ facts: ['Ilse keeps bees.'], summaries });
    const all = lines(result);
    const at = all.indexOf('system: [Start a new Chat]');
    expect(all.slice(at - 2, at)).toEqual([
      "system: [What Mira knows from this chat]\n- Ilse keeps bees.",
      'system: [Earlier in this chat]\nAnn and Mira met at the docks and drank tea.\n\nThey walked on the quay.',
    ]);
    expect(result.parts.find((part) => part.id === 'memory-summaries')).toMatchObject({ label: 'Memory: summary of earlier messages', source: 'memory', role: 'system' });
    expect(result.memory!.summaries.map((s) => [s.id, s.covers])).toEqual([['s01', 10], ['s2', 10]]);
    // The kept history is the body's tail, untouched; none of it is stood for by a summary.
    const dropped = result.trimmed.historyDropped;
    expect(dropped).toBeGreaterThan(20);
    expect(historyTexts(result)).toEqual(chat.messages.slice(dropped).map(messageText));
    const covered = new Set([...span(0, 9), ...span(10, 19)]);
    expect(chat.ids.slice(dropped).some((id) => covered.has(id))).toBe(false);
  });

  it('recalls the left-out message that answers the new turn, not the chit-chat, as Name: text lines', () => {
    const { messages, ids } = longChat(60);
    const { result } = overflow({ recall: recallOver(messages, ids) });
    expect(result.memory!.recalled.map((r) => r.id)).toEqual(['m3']);
    const part = result.parts.find((p) => p.id === 'memory-recalled')!;
    expect(part).toMatchObject({ label: 'Memory: recalled messages', source: 'memory', role: 'system', text: `[From earlier in this chat]\nMira: ${FACT}` });
    expect(result.trimmed.historyDropped).toBeGreaterThan(3);
    expect(lines(result)[lines(result).indexOf('system: [Start a new Chat]') - 1]).toBe(`system: ${part.text}`);
  });

  it('keeps memory within its share of the prompt\'s room (facts included), counted as the test counter counts the whole text', () => {
    const summaries = Array.from({ length: 8 }, (_, k) => ({ id: `s${k}`, text: `Summary ${k}: ${'word '.repeat(40)}`, covers: span(k * 3, k * 3 + 2) }));
    const { messages, ids } = longChat(80);
    const chat = { messages, ids };
    const result = assemblePrompt(input({ contextSize: 2000, body: nextChatBody([sys(NEXTCHAT_SYSTEM), ...chat.messages]), memory: { facts: ['Ilse keeps bees.'], historyIds: chat.ids, share: 0.3, summaries, recall: recallOver(messages, ids) } }));
    const memory = result.memory!;
    expect(memory.budget).toBe(300);
    expect(memory.used).toBeLessThanOrEqual(300);
    expect(memory.recalled.map((r) => r.id)).toEqual(['m3']);
    const parts = memoryParts(result);
    expect(parts.map((p) => p.tokens)).toEqual(parts.map((p) => exactCost(p.text)));
    expect(parts.reduce((sum, p) => sum + p.tokens, 0)).toBe(memory.used);
    expect(memory.facts + memory.summaries.reduce((s, x) => s + x.tokens, 0) + memory.recalled.reduce((s, x) => s + x.tokens, 0)).toBeLessThan(memory.used);
    // Summaries go newest first (up to half the budget, then what recall leaves): the oldest are the ones left out.
    expect(memory.summaries.map((s) => s.id)).toEqual(['s2', 's3', 's4', 's5', 's6', 's7']);
    expect(result.fit.fits).toBe(true);
    expect(result.fit.total).toBeLessThanOrEqual(result.fit.available);
  });

  it('sends only the facts when they alone take the budget: no summaries, recall not asked', () => {
    const calls = { n: 0 };
    const { messages, ids } = longChat(60);
    const { result } = overflow({ facts: ['word '.repeat(320)], summaries: [{ id: 's0', text: 'They met.', covers: span(0, 9) }], recall: recallOver(messages, ids, calls) });
    expect(memoryParts(result).map((p) => p.id)).toEqual(['memory-facts']);
    expect(calls.n).toBe(0);
    expect(result.memory).toMatchObject({ budget: 300, summaries: [], recalled: [] });
    expect(result.memory!.facts).toBeGreaterThan(300);
  });

  it('gives what memory leaves back to the history, and a recalled message the history takes back leaves memory', () => {
    const { messages, ids } = longChat(60);
    const body = nextChatBody([sys(NEXTCHAT_SYSTEM), ...messages]);
    const plain = assemblePrompt(input({ contextSize: 2000, body, memory: { historyIds: ids, share: 0.3 } }));
    // Recall finds nothing: the prompt is the one without memory.
    const nothing = assemblePrompt(input({ contextSize: 2000, body, memory: { historyIds: ids, share: 0.3, recall: () => new Map() } }));
    expect(lines(nothing)).toEqual(lines(plain));
    // One short recalled message: the history loses only what it costs, not the whole budget.
    const { result } = overflow({ recall: recallOver(messages, ids) });
    const cost = (i: number) => TOKENS_PER_MESSAGE + 1 + countWords(messageText(messages[i]!));
    expect(result.fit.total).toBeLessThanOrEqual(result.fit.available);
    expect(result.fit.total + cost(result.trimmed.historyDropped - 1)).toBeGreaterThan(result.fit.available);
    expect(result.trimmed.historyDropped - plain.trimmed.historyDropped).toBeLessThanOrEqual(1);
    // A message that memory would recall, left out only for the budget, comes back into the history instead.
    const nearCut = `m${plain.trimmed.historyDropped + 4}`;
    const asked: string[] = [];
    const back = assemblePrompt(input({ contextSize: 2000, body, memory: { historyIds: ids, share: 0.3, recall: (_q, candidates) => {
      asked.push(...candidates);
      return new Map(candidates.has(nearCut) ? [[nearCut, 1]] : []);
    } } }));
    expect(asked).toContain(nearCut);
    expect(lines(back)).toEqual(lines(plain));
    expect(back.memory!.recalled).toEqual([]);
  });

  it('keeps a summary the history grows back into while one of its messages is still left out, and drops it once none is', () => {
    const { messages, ids } = longChat(60);
    const body = nextChatBody([sys(NEXTCHAT_SYSTEM), ...messages]);
    const cut = assemblePrompt(input({ contextSize: 2000, body, memory: { historyIds: ids, share: 0.3 } })).trimmed.historyDropped;
    const summaries = [
      { id: 'straddles', text: 'Ann told Mira about the gulls.', covers: span(cut - 2, cut + 2) },
      { id: 'comes-back', text: 'They had tea again.', covers: span(cut + 4, cut + 6) },
    ];
    const result = assemblePrompt(input({ contextSize: 2000, body, memory: { historyIds: ids, share: 0.3, summaries } }));
    expect(result.memory!.summaries.map((s) => s.id)).toEqual(['straddles']);
    const dropped = result.trimmed.historyDropped;
    expect(dropped).toBeGreaterThan(cut - 2);
    expect(dropped).toBeLessThanOrEqual(cut + 2);
    expect(result.fit.total).toBeLessThanOrEqual(result.fit.available);
  });

  it('keeps the prompt byte for byte up to the chat between two turns that pick the same memory', () => {
    const summaries = [{ id: 's0', text: 'Ann and Mira met at the docks.', covers: span(0, 9) }];
    const first = longChat(60);
    const second = longChat(62, 'So where is the silver compass now?');
    const build = (chat: ReturnType<typeof longChat>) => assemblePrompt(input({
      contextSize: 2000,
      body: nextChatBody([sys(NEXTCHAT_SYSTEM), ...chat.messages]),
      memory: { facts: ['Ilse keeps bees.'], historyIds: chat.ids, summaries, recall: recallOver(chat.messages, chat.ids) },
    }));
    const [a, b] = [build(first), build(second)];
    const head = (result: AssembledPrompt) => result.messages.slice(0, result.parts.findIndex((p) => p.id === 'new-chat') + 1);
    expect(b.trimmed.historyDropped).toBeGreaterThan(a.trimmed.historyDropped);
    expect(memoryParts(a).map((p) => p.id)).toEqual(['memory-facts', 'memory-summaries', 'memory-recalled']);
    expect(JSON.stringify(head(b))).toBe(JSON.stringify(head(a)));
  });

  it('lines ids up past the greeting, and uses no summary or recall when the ids do not match the history', () => {
    const { messages, ids } = longChat(60);
    const greeted = overflow({ recall: recallOver(messages, ids) }, 60, { includeGreeting: true }).result;
    expect(greeted.memory!.recalled.map((r) => r.id)).toEqual(['m3']);
    expect(greeted.parts.find((p) => p.id === 'memory-recalled')!.text).toContain(`Mira: ${FACT}`);
    const calls = { n: 0 };
    const misaligned = overflow({ historyIds: ids.slice(1), recall: recallOver(messages, ids, calls) }).result;
    expect(memoryParts(misaligned)).toEqual([]);
    expect(calls.n).toBe(0);
  });

  it('reports memory for the inspector with each source, and leaves the field out without memory input', () => {
    const { messages, ids } = longChat(60);
    const { result } = overflow({ facts: ['Ilse keeps bees.'], summaries: [{ id: 's0', text: 'Ann and Mira met at the docks.', covers: span(0, 9) }], recall: recallOver(messages, ids) });
    const report = toPromptReport(result, 'Mira', { model: 'gpt-4o-mini', provider: null }, 1);
    expect(report.memory).toEqual({
      budget: 300,
      used: memoryParts(result).reduce((sum, p) => sum + p.tokens, 0),
      facts: exactCost("[What Mira knows from this chat]\n- Ilse keeps bees."),
      summaries: [{ id: 's0', tokens: countWords('Ann and Mira met at the docks.'), covers: 10 }],
      recalled: [{ id: 'm3', tokens: countWords(`Mira: ${FACT}`), score: expect.any(Number) }],
    });
    expect(report.memory!.recalled[0]!.score).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const none = assemblePrompt(input());
    expect(none.memory).toBeUndefined();
    expect('memory' in toPromptReport(none, 'Mira', { model: 'gpt-4o-mini', provider: null }, 1)).toBe(false);
  });

  it('never runs macros on memory text', () => {
    const { result } = overflow({ summaries: [{ id: 's0', text: 'Ann said {{char}} and {{random:a,b}}.', covers: span(0, 9) }] });
    expect(result.parts.find((p) => p.id === 'memory-summaries')!.text).toBe('[Earlier in this chat]\nAnn said {{char}} and {{random:a,b}}.');
  });
});
