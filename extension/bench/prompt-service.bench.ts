/**
 * The background's whole request path for a character chat (`PromptService.build`): parse NextChat's
 * body, check the card's and each book's version, activate the lore, assemble, serialise. The lore bench's
 * 5,000-entry book is enabled for every chat, a small book is bound to the chat and the card links a third;
 * the history is the lore bench's 500 messages. Library reads are in-memory (what is measured is the
 * service's own work). The reference, in the same run, is a service that keeps nothing between requests:
 * every book converted and compiled again, as a per-request read of the library would do.
 */
import type { BenchRow } from '../../shared/bench/types.ts';
import { buildScenario, percentile } from '../../shared/bench/lore.bench.ts';
import type { Character, Lorebook, LorebookEntry } from '../../shared/src/cards/index.ts';
import type { LoreEntry } from '../../shared/src/lore/index.ts';
import { useBundledEncodings } from '../../shared/src/tokens/bundled-encodings.ts';
import { DEFAULT_CHAT_SETTINGS } from '../messaging/chat-settings.ts';
import { DEFAULT_PROMPT_SETTINGS } from '../messaging/prompt-settings.ts';
import { PromptService, type PromptServiceDeps } from '../background/prompt-service/prompt-service.ts';
import { ChangeStream } from '../background/changes/change-feed.ts';

useBundledEncodings();

const WARMUP_RUNS = 50;
/** The goal of issue 4, for the whole request path: a turn's prompt build must not be felt. */
const SERVICE_P95_TARGET_MS = 5;

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The engine's entry written back as a stored (CCv3) entry, as the library would hold it. */
function storedEntry(entry: LoreEntry): LorebookEntry {
  return { keys: [...entry.keys], content: entry.content, extensions: {}, enabled: entry.enabled, insertion_order: entry.order, use_regex: entry.keys.some((k) => k.startsWith('/')), constant: entry.constant };
}

const CARD: Character = {
  spec: 'chara_card_v3', spec_version: '3.0',
  data: {
    name: 'Seraphina', description: '{{char}} guards the forest glade and heals travellers.', personality: 'Gentle, watchful.', scenario: '{{user}} wakes in the cottage.',
    first_mes: 'You are awake, {{user}}.', mes_example: '', creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [],
    creator: '', character_version: '', extensions: {}, group_only_greetings: [],
  },
};

/** Runs the service benchmark; timings in milliseconds. */
export async function runPromptServiceBench(options: { runs?: number; baselineRuns?: number } = {}): Promise<BenchRow[]> {
  const runs = options.runs ?? 300;
  const baselineRuns = options.baselineRuns ?? 10;
  const { book, messages } = buildScenario();
  const library = new Map<string, Lorebook>([
    ['global-5k', { name: 'Eldoria', extensions: {}, entries: book.entries.map(storedEntry) }],
    ['chat-small', { name: 'Harbour', extensions: {}, entries: book.entries.slice(0, 50).map(storedEntry) }],
    ['linked', { name: 'Glade', extensions: {}, entries: book.entries.slice(50, 250).map(storedEntry) }],
  ]);
  const body = JSON.stringify({
    messages: [
      { role: 'system', content: '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10' },
      ...messages.map((line, i) => ({ role: (messages.length - 1 - i) % 2 === 0 ? 'user' : 'assistant', content: line.slice(line.indexOf(': ') + 2) })),
    ],
    stream: true, model: 'gpt-4o-mini', max_tokens: 4000,
  });
  const deps: PromptServiceDeps = {
    readChat: async () => ({ characterId: 'c1', promptState: null, settings: { ...DEFAULT_CHAT_SETTINGS, lorebookIds: ['chat-small'] } }),
    defaultPersona: async () => ({ name: 'Ann', description: '' }),
    savedPersonas: async () => [],
    promptSettings: async () => ({ ...DEFAULT_PROMPT_SETTINGS, globalLorebookIds: ['global-5k'] }),
    characterVersion: async () => 1,
    readCard: async () => CARD,
    linkedLorebookRef: async () => ({ id: 'linked', version: 1 }),
    lorebookVersions: async (ids) => ids.map((id) => (library.has(id) ? 1 : null)),
    readLorebook: async (id) => library.get(id) ?? null,
    exchanges: async () => messages.length / 2,
    memory: async () => ({ facts: [], summaries: [] }),
    savePromptState: async () => {},
    changes: new ChangeStream(),
    now: () => new Date(2026, 10, 21, 12, 0),
  };

  const service = new PromptService(deps);
  const request = { body, url: '/api/openai/v1/chat/completions', format: 'openai' as const };
  const ours = async () => service.build('bench#chat', request);
  const naive = async () => new PromptService(deps).build('bench#chat', request);
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  const [kept, fresh] = [await ours(), await naive()];
  if (kept.body !== fresh.body) throw new Error('prompt-service bench: the cached and the fresh service built different prompts; they must agree');
  if (!kept.body?.includes('fictional chat')) throw new Error('prompt-service bench: the request was not rewritten; the measurement would be of nothing');

  for (let i = 0; i < WARMUP_RUNS; i++) await ours();
  const oursMs: number[] = [];
  for (let i = 0; i < runs; i++) oursMs.push(await time(ours));
  const naiveMs: number[] = [];
  for (let i = 0; i < baselineRuns; i++) naiveMs.push(await time(naive));

  const label = `(${messages.length} msgs; 5k-entry global book, chat book, linked world)`;
  const row = (name: string, value: number, ref: number): BenchRow => ({ name, unit: 'ms', value: round(value), reference: round(ref), ratio: Math.round((ref / value) * 10) / 10 });
  const p95 = percentile(oursMs, 95);
  return [
    row(`PromptService.build p50 ${label}`, percentile(oursMs, 50), percentile(naiveMs, 50)),
    row(`PromptService.build p95 ${label}`, p95, percentile(naiveMs, 95)),
    { name: `PromptService.build p95 target (< ${SERVICE_P95_TARGET_MS} ms met: 1 = yes)`, unit: 'bool', value: p95 < SERVICE_P95_TARGET_MS ? 1 : 0 },
  ];
}
