/**
 * Memory bench (issue 11, item 6): does the character still have a fact, said once, hundreds of
 * messages ago, when the person asks about it? A generated 500-message chat (memory-chat.ts) holds 50
 * planted facts at known messages; after message 500 each fact's question is asked as the new turn, one
 * build per question, with a 16,000-token context and NextChat's default request (gpt-4o-mini,
 * max_tokens 4000: 12,000 tokens for the prompt).
 *
 * A fact is IN THE PROMPT when all its key words (its answer, said nowhere else in the chat, and the
 * subject the question names; see PlantedFact.keys) are in one sentence of one message of the prompt,
 * the new turn aside: its sentence, word for word, in the history, a recalled message or a summary line.
 *
 * Troupe: summaries are made as the background makes them, by its summary scheduler (summaryScheduler,
 * planSummaries -> jobs -> summaryFromJob) run after every exchange, each job run by the offscreen
 * worker's runSummaryJob with no endpoint, i.e. the local extractive summariser with the real
 * gpt-4o-mini tokenizer: the deterministic "summary model". Each question is then built by the real
 * PromptService from NextChat's request with the whole chat as the session record (its memory dep
 * gives currentSummaries, as the library's does; recall is the service's own MessageRecall).
 *
 * References, in the same run, on the same chat and questions:
 *  (a) NextChat's default, replayed by its own rules (the stage page's copy of NextChat 2.16.1,
 *      extension/e2e/stage/js/chat-api.js): after every reply, when the messages since its last summary
 *      estimate (its estimateTokenLength) over compressMessageLengthThreshold = 1,000 tokens, it asks for
 *      a new summary of its previous summary + those messages (only the last 4 when they estimate over
 *      max_tokens); a request sends its system prompt, the summary, the messages since the summary or
 *      the last historyMessageCount = 4 if that is more, and the new turn. The summary is made by the
 *      same extractive summariser, asked for 260 tokens and cut down to 200 words ("200 words or less").
 *      This is NextChat's rule exactly; the approximation is only the summariser.
 *  (b) SillyTavern's Summarize extension, roughly: after every 10 messages one rolling summary is
 *      remade from the previous summary + those 10 messages (same extractive summariser, 300 tokens),
 *      inserted at depth 2 as a system message (Troupe's author's-note slot), with as much recent
 *      history as fits the context beside it (Troupe's assembler, no Troupe memory).
 *
 * Also measured: memory's share of each Troupe prompt (report.memory.used / report.fit.total), summary
 * requests per 100 messages, and what memory adds to a build: the same assembly (inputFromKit ->
 * assemblePrompt over the same whole chat) with and without memory input, paired per question. To see
 * which part of the policy does the work: the same builds with summaries only and with recall only,
 * and how many planted facts each summary's text keeps of those it stands for.
 *
 * `ratio` is value / reference for shares of facts (> 1: Troupe keeps more) and reference / value for
 * costs (> 1: Troupe spends less), so > 1 is always in Troupe's favour.
 */
import type { BenchRow } from '../../shared/bench/types.ts';
import { percentile } from '../../shared/bench/lore.bench.ts';
import type { Character } from '@troupe/shared/cards';
import type { ChatMemory } from '@troupe/shared/docs';
import { MiniSearchRecall } from './minisearch-recall.ts';
import { currentSummaries, MessageRecall, splitSentences, summariseExtractive, type ExtractiveMessage, type Summary } from '@troupe/shared/memory';
import { assemblePrompt, inputFromKit, MEMORY_RECALLED_HEADER, MEMORY_SUMMARIES_HEADER, withWholeChat, type ChatCompletionBody, type PromptKit, type SessionRecord } from '@troupe/shared/prompt';
import { nextChatSystemPrefix, readChatTurn } from '@troupe/shared/providers';
import { tokenizerFor } from '@troupe/shared/tokens';
import { useBundledEncodings } from '@troupe/shared/tokens/bundled';
import { DEFAULT_PROMPT_SETTINGS } from '../messaging/prompt-settings.ts';
import { PromptService, type PromptServiceDeps } from '../background/prompt-service/prompt-service.ts';
import { NEXTCHAT_SYSTEM } from '../background/prompt-service/test-support.ts';
import { ChangeStream } from '../background/changes/change-feed.ts';
import { summaryScheduler } from '../background/memory/summary-scheduler.ts';
import { runSummaryJob } from '../offscreen/summary-job.ts';
import { CHAR_NAME, generateMemoryChat, hasWord, USER_NAME, type BenchChatMessage, type PlacedFact } from './memory-chat.ts';

useBundledEncodings();

const MODEL = 'gpt-4o-mini';
const CONTEXT_SIZE = 16_000;
const CHAT_KEY = 'bench#memory';
/** NextChat's defaults (ModelConfig): what its request and its summaries are made with. */
const NEXTCHAT = { historyMessageCount: 4, compressMessageLengthThreshold: 1_000, maxTokens: 4_000, summaryWords: 200 };
const NEXTCHAT_MEMORY_PREFIX = 'This is a summary of the chat history as a recap: ';
/** Tokens first asked of the extractive summariser for NextChat's "200 words or less" (then cut to 200 words). */
const NEXTCHAT_SUMMARY_TOKENS = 260;
/** SillyTavern Summarize-like: one rolling summary remade every 10 messages, about 300 tokens, at depth 2. */
const ST = { every: 10, tokens: 300, depth: 2 };
/** Goals of issue 11. */
const FACT_TARGET = 0.9;
const MEMORY_SHARE_TARGET = 0.15;
/** Timed builds per question and path (after one warm-up each); the median is kept per question. */
const TIMED_REPS = 7;
/** Cold recall indexes timed (a worker that just started indexes the whole chat on its first build). */
const COLD_REPS = 5;

const clock = (globalThis as unknown as { performance: { now(): number } }).performance;
const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const pct = (part: number, whole: number) => round((100 * part) / whole, 1);
const median = (samples: readonly number[]) => percentile(samples, 50);

const CARD: Character = {
  spec: 'chara_card_v3', spec_version: '3.0',
  data: {
    name: CHAR_NAME,
    description: '{{char}} is a sell-sword turned guide who has walked every road of the kingdom. She travels with {{user}}, keeps watch at night and cooks badly. She is blunt, loyal and remembers small kindnesses.',
    personality: 'Dry humour, practical, protective, hates waiting.', scenario: '{{char}} and {{user}} travel the roads together, town to town, looking for work.',
    first_mes: '*{{char}} shoulders her pack.* Ready when you are, {{user}}.', mes_example: '', creator_notes: '', system_prompt: '', post_history_instructions: '',
    alternate_greetings: [], tags: [], creator: '', character_version: '', extensions: {}, group_only_greetings: [],
  },
};

// ---- where a fact is ------------------------------------------------------------------------------

/** Index of the first of `texts` with a sentence holding all of `fact`'s keys; -1 when none. */
function findFact(fact: PlacedFact, texts: readonly string[]): number {
  return texts.findIndex((text) => splitSentences(text).some((sentence) => fact.keys.every((key) => hasWord(sentence, key))));
}

type Where = 'history' | 'summary' | 'recalled' | 'other';

/** Where a Troupe prompt holds the fact: word for word in its history first, then memory's parts. */
function whereInTroupePrompt(fact: PlacedFact, contents: readonly string[]): Where | null {
  const holding = contents.flatMap((text, i) => (findFact(fact, [text]) === 0 ? [i] : []));
  if (holding.length === 0) return null;
  const kinds = holding.map((i): Where => {
    const text = contents[i]!;
    if (text.startsWith(MEMORY_SUMMARIES_HEADER)) return 'summary';
    if (text.startsWith(MEMORY_RECALLED_HEADER)) return 'recalled';
    return 'history';
  });
  for (const kind of ['history', 'recalled', 'summary'] as const) if (kinds.includes(kind)) return kind;
  return 'other';
}

/** The text of each message of a chat body, the new turn (its last) left out. */
const promptTexts = (body: ChatCompletionBody) => body.messages.slice(0, -1).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

// ---- NextChat ------------------------------------------------------------------------------------

/** NextChat's estimateTokenLength (app/utils/token.ts), as the stage page copies it. */
function estimateTokenLength(input: string): number {
  let tokens = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (code < 128) tokens += code >= 65 && code <= 122 ? 0.25 : 0.5;
    else tokens += 1.5;
  }
  return tokens;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The extractive summariser as a summary model: `messages` (with speakers) within `budget` tokens. */
function extractive(messages: readonly ExtractiveMessage[], budget: number, count: (text: string) => number): string {
  return summariseExtractive(messages, { budgetTokens: budget, countTokens: count }).text;
}

/** Chat messages as the summariser reads them; a previous summary goes first as a speakerless system message (as Troupe's merges do). */
function summaryInput(previous: string, messages: readonly BenchChatMessage[]): ExtractiveMessage[] {
  const named = messages.map(({ id, role, text }) => ({ id, role, name: role === 'user' ? USER_NAME : CHAR_NAME, text }));
  return previous ? [{ id: 'previous-summary', role: 'system', name: '', text: previous }, ...named] : named;
}

/**
 * NextChat over the whole chat: its summaries (summarizeSession after every reply) and, at the end, its
 * memory prompt and lastSummarizeIndex, which its requests are made from.
 */
function replayNextChat(messages: readonly BenchChatMessage[], count: (text: string) => number) {
  let memoryPrompt = '';
  let lastSummarizeIndex = 0;
  let requests = 0;
  for (let end = 1; end <= messages.length; end++) {
    if (messages[end - 1]!.role !== 'assistant') continue;
    let toSummarize = messages.slice(lastSummarizeIndex, end);
    const historyLength = toSummarize.reduce((n, m) => n + estimateTokenLength(m.text), 0);
    if (historyLength > NEXTCHAT.maxTokens) toSummarize = toSummarize.slice(-NEXTCHAT.historyMessageCount);
    if (historyLength <= NEXTCHAT.compressMessageLengthThreshold) continue;
    requests += 1;
    const input = summaryInput(memoryPrompt, toSummarize);
    let budget = NEXTCHAT_SUMMARY_TOKENS;
    let summary = extractive(input, budget, count);
    while (words(summary) > NEXTCHAT.summaryWords && budget > 20) summary = extractive(input, (budget -= 10), count);
    memoryPrompt = summary;
    lastSummarizeIndex = end;
  }
  return { memoryPrompt, lastSummarizeIndex, requests };
}

/** NextChat's request for `question` after `messages` (getMessagesWithMemory + the new turn), as sent to OpenAI. */
function nextChatBody(messages: readonly BenchChatMessage[], state: { memoryPrompt: string; lastSummarizeIndex: number }, question: string): ChatCompletionBody {
  const total = messages.length;
  const sendMemory = state.memoryPrompt.length > 0 && state.lastSummarizeIndex > 0;
  const shortStart = Math.max(0, total - NEXTCHAT.historyMessageCount);
  const contextStart = sendMemory ? Math.min(state.lastSummarizeIndex, shortStart) : shortStart;
  const recent: BenchChatMessage[] = [];
  for (let i = total - 1, tokens = 0; i >= contextStart && tokens < NEXTCHAT.maxTokens; i -= 1) {
    tokens += estimateTokenLength(messages[i]!.text);
    recent.push(messages[i]!);
  }
  return {
    messages: [
      { role: 'system', content: NEXTCHAT_SYSTEM },
      ...(sendMemory ? [{ role: 'system' as const, content: NEXTCHAT_MEMORY_PREFIX + state.memoryPrompt }] : []),
      ...recent.reverse().map(({ role, text }) => ({ role, content: text })),
      { role: 'user', content: question },
    ],
    stream: true, model: MODEL, temperature: 0.5, presence_penalty: 0, frequency_penalty: 0, top_p: 1, max_tokens: NEXTCHAT.maxTokens,
  };
}

// ---- SillyTavern Summarize-like ------------------------------------------------------------------

function replaySillyTavern(messages: readonly BenchChatMessage[], count: (text: string) => number) {
  let summary = '';
  let requests = 0;
  for (let end = ST.every; end <= messages.length; end += ST.every) {
    summary = extractive(summaryInput(summary, messages.slice(end - ST.every, end)), ST.tokens, count);
    requests += 1;
  }
  return { summary, requests };
}

// ---- Troupe's summaries ---------------------------------------------------------------------------

/**
 * The chat's summaries as the background makes them: the scheduler runs after every exchange (as it
 * would a while after each change), its jobs run by the offscreen worker's job runner without an
 * endpoint. Returns the stored summaries and the number of summary requests made.
 */
async function troupeSummaries(messages: readonly BenchChatMessage[], count: (text: string) => number) {
  const transcript: BenchChatMessage[] = [];
  const stored = new Map<string, Summary>();
  let requests = 0;
  let removed = 0;
  const scheduler = summaryScheduler({
    readMemory: async (): Promise<ChatMemory> => ({ format: 1, chatKey: CHAT_KEY, characterId: 'c1', messages: [...transcript], summaries: [...stored.values()], facts: [] }),
    countTokens: async (_chatKey, texts) => ({ model: MODEL, counts: texts.map(count) }),
    names: async () => ({ user: USER_NAME, character: CHAR_NAME }),
    summarise: async (request) => {
      requests += 1;
      return runSummaryJob(request, { tokenizerFor, fetch: () => Promise.reject(new Error('the bench makes no network requests')) });
    },
    removeSummaries: async (_chatKey, ids) => { for (const id of ids) removed += stored.delete(id) ? 1 : 0; },
    putSummary: async (_chatKey, summary) => { stored.set(summary.id, summary); },
    now: () => 0,
    report: (error) => { throw error; },
  });
  for (let i = 0; i < messages.length; i += 2) {
    transcript.push(...messages.slice(i, i + 2));
    await scheduler.runNow(CHAT_KEY);
  }
  scheduler.dispose();
  if (removed > 0) throw new Error(`memory bench: ${removed} summaries went stale in a chat that was never edited`);
  return { summaries: [...stored.values()], requests };
}

// ---- the bench ------------------------------------------------------------------------------------

/** Runs the memory bench; shares in %, timings in milliseconds. */
export async function runMemoryBench(): Promise<BenchRow[]> {
  const started = clock.now();
  const tokenizer = await tokenizerFor(MODEL);
  const count = tokenizer.count;
  const chat = generateMemoryChat();
  const { messages, facts } = chat;
  const chatTokens = messages.reduce((n, m) => n + count(m.text), 0);

  const troupe = await troupeSummaries(messages, count);
  const usable = currentSummaries(messages, troupe.summaries);
  const nextChat = replayNextChat(messages, count);
  const sillyTavern = replaySillyTavern(messages, count);

  const session: SessionRecord = { messages: messages.map(({ id, role, text }) => ({ id, role, text })), memoryPrompt: nextChat.memoryPrompt, contextCount: 0 };
  const deps: PromptServiceDeps = {
    readChat: async () => ({ characterId: 'c1', promptState: null }),
    defaultPersona: async () => ({ name: USER_NAME, description: '{{user}} is a former scribe who left the city to see the world.' }),
    savedPersonas: async () => [],
    promptSettings: async () => ({ ...DEFAULT_PROMPT_SETTINGS, contextSize: CONTEXT_SIZE }),
    characterVersion: async () => 1,
    readCard: async () => CARD,
    linkedLorebookRef: async () => null,
    lorebookVersions: async (ids) => ids.map(() => null),
    readLorebook: async () => null,
    exchanges: async () => messages.length / 2,
    memory: async () => ({ facts: [], summaries: usable }),
    savePromptState: async () => {},
    changes: new ChangeStream(),
    now: () => new Date(2026, 10, 21, 12, 0),
  };
  const service = new PromptService(deps);
  const requestFor = (fact: PlacedFact) => ({ body: JSON.stringify(nextChatBody(messages, nextChat, fact.question)), url: '/api/openai/v1/chat/completions', format: 'openai' as const, userText: fact.question });

  // Troupe through the real request path: one build per question.
  const found = new Map<string, Where>();
  const missed: PlacedFact[] = [];
  const shares: number[] = [];
  const contextShares: number[] = [];
  let heldBySummaries = 0;
  const troupeBodies = new Map<string, ChatCompletionBody>();
  let summariesUsed = 0;
  let summaryTokens = 0;
  let recalledTokens = 0;
  let recalledUsed = 0;
  let historyKept = 0;
  for (const fact of facts) {
    const built = await service.build(CHAT_KEY, { ...requestFor(fact), session });
    const report = built.report;
    if (!built.body || !report?.memory || report.history?.source !== 'whole-chat') throw new Error(`memory bench: the service did not build "${fact.question}" over the whole chat with memory`);
    const body = JSON.parse(built.body) as ChatCompletionBody;
    // NextChat's own summary must go (its messages are there themselves), or it would be counted for Troupe.
    if (promptTexts(body).some((text) => text.includes(NEXTCHAT_MEMORY_PREFIX))) throw new Error("memory bench: NextChat's summary stayed in Troupe's prompt");
    troupeBodies.set(fact.id, body);
    const where = whereInTroupePrompt(fact, promptTexts(body));
    if (where) found.set(fact.id, where);
    else missed.push(fact);
    shares.push(report.memory.used / report.fit.total);
    contextShares.push(report.memory.used / report.fit.contextSize);
    const summaryPart = promptTexts(body).find((text) => text.startsWith(MEMORY_SUMMARIES_HEADER));
    if (summaryPart && findFact(fact, [summaryPart]) === 0) heldBySummaries += 1;
    summariesUsed += report.memory.summaries.length;
    recalledUsed += report.memory.recalled.length;
    summaryTokens += report.memory.summaries.reduce((n, x) => n + x.tokens, 0);
    recalledTokens += report.memory.recalled.reduce((n, x) => n + x.tokens, 0);
    historyKept += report.trimmed.historyKept;
  }

  // NextChat: its own request is the prompt.
  const nextChatFound = facts.filter((fact) => findFact(fact, promptTexts(nextChatBody(messages, nextChat, fact.question))) >= 0).length;

  // The same assembly the service runs, without its request parsing, for SillyTavern-like and timing.
  const { tokens: _tokens, ...kit } = (await service.kit(CHAT_KEY, MODEL)) as PromptKit;
  const now = deps.now();
  const storedIds = new Set(messages.map((m) => m.id));
  const prepared = (fact: PlacedFact, record: SessionRecord) => {
    const turn = readChatTurn(requestFor(fact), fact.question)!;
    const hostSystemPrefix = nextChatSystemPrefix(turn.chat);
    return { whole: withWholeChat(turn.chat, hostSystemPrefix, record), hostSystemPrefix, record };
  };
  type Prepared = ReturnType<typeof prepared>;
  const withMemory = ({ whole, hostSystemPrefix, record }: Prepared, index: MessageRecall) => assemblePrompt(inputFromKit(kit, {
    body: whole.body, hostSystemPrefix, now, countTokens: count,
    wholeChat: { historyIds: whole.ids, storedIds, recall: (query, candidates) => { index.sync(record.messages); return index.scores(query, candidates); } },
  }));
  /** Ablations of Troupe's memory: only its summaries (no recall), only recall (no summaries). */
  const summariesOnly = ({ whole, hostSystemPrefix }: Prepared) => assemblePrompt(inputFromKit(kit, { body: whole.body, hostSystemPrefix, now, countTokens: count, wholeChat: { historyIds: whole.ids, storedIds } }));
  const recallOnly = (p: Prepared, index: MessageRecall) => assemblePrompt(inputFromKit({ ...kit, memory: { facts: [], summaries: [] } }, {
    body: p.whole.body, hostSystemPrefix: p.hostSystemPrefix, now, countTokens: count,
    wholeChat: { historyIds: p.whole.ids, storedIds, recall: (query, candidates) => { index.sync(p.record.messages); return index.scores(query, candidates); } },
  }));
  const withoutMemory = ({ whole, hostSystemPrefix }: Prepared) => assemblePrompt(inputFromKit(kit, { body: whole.body, hostSystemPrefix, now, countTokens: count }));
  /** The same build as `withMemory` with MiniSearch as the recall engine (the library reference). */
  const withMiniSearch = ({ whole, hostSystemPrefix, record }: Prepared, index: MiniSearchRecall) => assemblePrompt(inputFromKit(kit, {
    body: whole.body, hostSystemPrefix, now, countTokens: count,
    wholeChat: { historyIds: whole.ids, storedIds, recall: (query, candidates) => { index.sync(record.messages); return index.scores(query, candidates); } },
  }));
  const stNote = { text: sillyTavern.summary, depth: ST.depth, role: 'system' as const, everyN: 0 };
  const sillyTavernBuild = ({ whole, hostSystemPrefix }: Prepared) => assemblePrompt(inputFromKit({ ...kit, authorNote: stNote }, { body: whole.body, hostSystemPrefix, now, countTokens: count }));

  const recall = new MessageRecall();
  const mini = new MiniSearchRecall();
  let miniFound = 0;
  let sillyTavernFound = 0;
  let plainFound = 0;
  let summariesOnlyFound = 0;
  let recallOnlyFound = 0;
  for (const fact of facts) {
    const p = prepared(fact, session);
    const ours = withMemory(p, recall);
    if (findFact(fact, promptTexts(summariesOnly(p).body)) >= 0) summariesOnlyFound += 1;
    if (findFact(fact, promptTexts(recallOnly(p, recall).body)) >= 0) recallOnlyFound += 1;
    if (findFact(fact, promptTexts(withMiniSearch(p, mini).body)) >= 0) miniFound += 1;
    const serviceBody = troupeBodies.get(fact.id)!;
    if (JSON.stringify(ours.body.messages) !== JSON.stringify(serviceBody.messages)) throw new Error('memory bench: the timed assembly and the service built different prompts; they must agree');
    const st = sillyTavernBuild(p);
    if (!st.body.messages.some((m) => m.content === sillyTavern.summary)) throw new Error('memory bench: the SillyTavern-like summary is not in its prompt');
    if (findFact(fact, promptTexts(st.body)) >= 0) sillyTavernFound += 1;
    if (findFact(fact, promptTexts(withoutMemory(p).body)) >= 0) plainFound += 1;
  }

  // Timing: each timed build gets the chat as a fresh copy, as it arrives from the page (new strings).
  const fresh = (fact: PlacedFact) => prepared(fact, structuredClone(session));
  const time = (fn: () => unknown) => {
    const start = clock.now();
    fn();
    return clock.now() - start;
  };
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  const addedMs: number[] = [];
  for (const fact of facts) {
    withMemory(fresh(fact), recall);
    withoutMemory(fresh(fact));
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < TIMED_REPS; r++) {
      const p1 = fresh(fact);
      a.push(time(() => withMemory(p1, recall)));
      const p2 = fresh(fact);
      b.push(time(() => withoutMemory(p2)));
    }
    withMs.push(median(a));
    withoutMs.push(median(b));
    addedMs.push(median(a) - median(b));
  }
  const coldMs: number[] = [];
  const miniColdMs: number[] = [];
  for (let r = 0; r < COLD_REPS; r++) {
    const p = fresh(facts[r]!);
    coldMs.push(time(() => withMemory(p, new MessageRecall())));
    const q = fresh(facts[r]!);
    miniColdMs.push(time(() => withMiniSearch(q, new MiniSearchRecall())));
  }
  // Warm builds with each engine, alternated so both meet the same machine state.
  const oursWarmMs: number[] = [];
  const miniWarmMs: number[] = [];
  for (const fact of facts) {
    const p1 = fresh(fact);
    oursWarmMs.push(time(() => withMemory(p1, recall)));
    const p2 = fresh(fact);
    miniWarmMs.push(time(() => withMiniSearch(p2, mini)));
  }
  const serviceMs: number[] = [];
  for (const fact of facts) {
    const request = { ...requestFor(fact), session: structuredClone(session) };
    const start = clock.now();
    await service.build(CHAT_KEY, request);
    serviceMs.push(clock.now() - start);
  }

  const troupeFound = found.size;
  // How faithful the summaries are: of the facts a summary stands for, how many its text keeps.
  const position = new Map(messages.map((m, i) => [m.id, i]));
  const kept = (level: number) => {
    let covered = 0;
    let held = 0;
    for (const summary of usable.filter((u) => u.id.startsWith(`s${level}-`))) {
      const at = new Set(summary.covers.map((id) => position.get(id)));
      for (const fact of facts.filter((f) => at.has(f.at))) {
        covered += 1;
        if (findFact(fact, [summary.text]) === 0) held += 1;
      }
    }
    return { covered, held };
  };
  const [level0, level1] = [kept(0), kept(1)];
  const where = (kind: Where) => [...found.values()].filter((w) => w === kind).length;
  const maxShare = Math.max(...shares);
  const meanShare = shares.reduce((s, x) => s + x, 0) / shares.length;
  const per100 = (requests: number) => round((requests * 100) / messages.length, 1);
  const share = (n: number) => pct(n, facts.length);
  const vs = (value: number, reference: number) => (reference > 0 ? round(value / reference, 2) : undefined);

  console.log(`\nmemory bench: ${messages.length} messages, ${chatTokens.toLocaleString('en-US')} tokens (${round(chatTokens / messages.length, 1)} a message); `
    + `${troupe.summaries.length} Troupe summaries made, ${usable.length} current; NextChat summarised ${nextChat.requests} times (its last covers up to message ${nextChat.lastSummarizeIndex}); `
    + `${Math.round(clock.now() - started).toLocaleString('en-US')} ms so far.`);
  console.log(`Troupe per question (mean): ${round(historyKept / facts.length, 1)} history messages, ${round(summariesUsed / facts.length, 1)} summaries (${Math.round(summaryTokens / facts.length)} tokens), `
    + `${round(recalledUsed / facts.length, 1)} recalled messages (${Math.round(recalledTokens / facts.length)} tokens).`);
  for (const fact of missed) console.log(`  Troupe missed ${fact.id} (message ${fact.at}, ${fact.kind}): "${fact.sentence}" asked "${fact.question}"`);

  const factsLabel = (who: string) => `Planted facts in the prompt at their question: ${who}`;
  const sharedOf = (value: number, reference: number, name: string): BenchRow => {
    const ratio = vs(value, reference);
    return { name, unit: '%', value, reference, ...(ratio === undefined ? {} : { ratio }) };
  };
  return [
    sharedOf(share(troupeFound), share(nextChatFound), `${factsLabel('Troupe')} vs NextChat default`),
    sharedOf(share(troupeFound), share(sillyTavernFound), `${factsLabel('Troupe')} vs SillyTavern Summarize-like`),
    { name: `${factsLabel('reference NextChat default')} (last ${NEXTCHAT.historyMessageCount} msgs or since its summary + rolling ${NEXTCHAT.summaryWords}-word summary)`, unit: '%', value: share(nextChatFound) },
    { name: `${factsLabel('reference SillyTavern Summarize-like')} (${ST.tokens}-token summary every ${ST.every} msgs at depth ${ST.depth} + history that fits)`, unit: '%', value: share(sillyTavernFound) },
    { name: `${factsLabel('Troupe, whole chat without memory')} (history that fits, no summaries or recall)`, unit: '%', value: share(plainFound) },
    { name: `${factsLabel('Troupe, summaries only')} (memory without recall)`, unit: '%', value: share(summariesOnlyFound) },
    { name: `${factsLabel('Troupe, recall only')} (memory without summaries)`, unit: '%', value: share(recallOnlyFound) },
    sharedOf(share(troupeFound), share(miniFound), `${factsLabel('Troupe with its own BM25 recall')} vs the same memory with MiniSearch recall`),
    { name: '  Troupe: facts found word for word in the history', unit: 'facts', value: where('history') },
    { name: '  Troupe: facts found in recalled messages', unit: 'facts', value: where('recalled') },
    { name: '  Troupe: facts found in summaries', unit: 'facts', value: where('summary') },
    { name: '  Troupe: facts missed', unit: 'facts', value: missed.length },
    { name: '  Troupe: facts held by the summaries in its prompt (recalled or not)', unit: 'facts', value: heldBySummaries },
    { name: `Extractive summaries: planted facts kept by their chunk's summary (level 0, ${level0.covered} facts)`, unit: '%', value: pct(level0.held, level0.covered) },
    { name: `Extractive summaries: planted facts kept by a merged summary (level 1, ${level1.covered} facts)`, unit: '%', value: pct(level1.held, level1.covered) },
    { name: `Troupe facts target (>= ${FACT_TARGET * 100}% met: 1 = yes)`, unit: 'bool', value: troupeFound / facts.length >= FACT_TARGET ? 1 : 0 },
    { name: 'Memory share of the prompt, mean over questions (memory.used / fit.total)', unit: '%', value: round(meanShare * 100, 1) },
    { name: 'Memory share of the prompt, largest', unit: '%', value: round(maxShare * 100, 1) },
    { name: `Memory share target (<= ${MEMORY_SHARE_TARGET * 100}% of the prompt on every question met: 1 = yes)`, unit: 'bool', value: maxShare <= MEMORY_SHARE_TARGET ? 1 : 0 },
    { name: 'Memory tokens / context size, largest (the budget is 15% of the prompt\'s room: the context less the reply\'s reserve)', unit: '%', value: round(Math.max(...contextShares) * 100, 1) },
    { name: 'Summary requests per 100 messages: Troupe (layered) vs NextChat default', unit: 'req', value: per100(troupe.requests), reference: per100(nextChat.requests), ...(troupe.requests > 0 ? { ratio: round(nextChat.requests / troupe.requests, 2) } : {}) },
    { name: 'Summary requests per 100 messages: reference SillyTavern Summarize-like', unit: 'req', value: per100(sillyTavern.requests) },
    { name: 'Assembly p50 with memory (summaries + recall) vs the same build without memory', unit: 'ms', value: round(median(withMs)), reference: round(median(withoutMs)), ratio: round(median(withoutMs) / median(withMs), 2) },
    { name: 'Added build time from memory, p50 of per-question differences', unit: 'ms', value: round(median(addedMs)) },
    { name: 'Added build time from memory, p95 of per-question differences', unit: 'ms', value: round(percentile(addedMs, 95)) },
    { name: `First build after the worker starts (recall indexes ${messages.length} messages), median of ${COLD_REPS}`, unit: 'ms', value: round(median(coldMs)) },
    { name: `Same, Troupe's BM25 vs MiniSearch as the recall engine`, unit: 'ms', value: round(median(coldMs)), reference: round(median(miniColdMs)), ratio: round(median(miniColdMs) / median(coldMs), 2) },
    { name: 'Build p50 with memory, warm index: Troupe\'s BM25 vs MiniSearch', unit: 'ms', value: round(median(oursWarmMs)), reference: round(median(miniWarmMs)), ratio: round(median(miniWarmMs) / median(oursWarmMs), 2) },
    { name: 'PromptService.build p50 with memory (whole request path)', unit: 'ms', value: round(median(serviceMs)) },
  ];
}
