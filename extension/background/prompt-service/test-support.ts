/** Fixtures of the prompt service's tests (and of the page-side build's, which must match it). */
import type { Character, Lorebook } from '@troupe/shared/cards';
import { PromptService, type ChatPromptState, type PromptServiceDeps } from './prompt-service.ts';
import { ChangeStream } from '../changes/change-feed.ts';
import { DEFAULT_PROMPT_SETTINGS, type PromptSettings } from '../../messaging/prompt-settings.ts';

/** A request as the page sent it to NextChat's OpenAI proxy. */
export const openaiRequest = (raw: string) => ({ body: raw, url: '/api/openai/v1/chat/completions', format: 'openai' as const });

export const NEXTCHAT_SYSTEM = '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10\nCurrent model: gpt-4o-mini\n';
export const body = (text: string) => openaiRequest(JSON.stringify({ messages: [{ role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'user', content: text }], stream: true, model: 'gpt-4o-mini', max_tokens: 4000 }));

export const card: Character = {
  spec: 'chara_card_v3', spec_version: '3.0',
  data: {
    name: 'Mira', description: '{{char}} draws maps for {{user}}.', personality: 'curious', scenario: 'A harbour town.', first_mes: 'Ahoy, {{user}}.',
    mes_example: '', creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: ['Welcome aboard, {{user}}.'], tags: [], creator: '',
    character_version: '', extensions: {}, group_only_greetings: [],
    character_book: { extensions: {}, entries: [
      { keys: ['lighthouse'], content: 'The lighthouse has been dark for a year.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false },
      { keys: ['/tow(er|n)/i'], content: '{{setvar::seen::tower}}Towers lean east here.', extensions: {}, enabled: true, insertion_order: 90, use_regex: true },
    ] },
  },
};
export const world: Lorebook = { name: 'Harbour', extensions: {}, entries: [
  { keys: ['tide'], content: 'Tides come twice a day.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false },
] };

export function setup(overrides: Partial<PromptServiceDeps> = {}) {
  const saved: ChatPromptState[] = [];
  /** The library's standalone books by id, with their versions; tests change them in place. */
  const library = new Map<string, { version: number; book: Lorebook }>([['w1', { version: 1, book: world }]]);
  const bookReads: string[] = [];
  const globals: PromptSettings = { ...DEFAULT_PROMPT_SETTINGS, globalLorebookIds: [] };
  /** The change feed's stand-in: tests publish the writes the background's feed would report. */
  const changes = new ChangeStream();
  const deps: PromptServiceDeps = {
    readChat: async () => ({ characterId: 'c1', promptState: saved.at(-1) ?? null }),
    defaultPersona: async () => ({ name: '', description: '' }),
    savedPersonas: async () => [],
    promptSettings: async () => globals,
    characterVersion: async () => 1,
    readCard: async () => card,
    linkedLorebookRef: async () => (library.has('w1') ? { id: 'w1', version: library.get('w1')!.version } : null),
    lorebookVersions: async (ids) => ids.map((id) => library.get(id)?.version ?? null),
    readLorebook: async (id) => { bookReads.push(id); return library.get(id)?.book ?? null; },
    exchanges: async () => 0,
    memory: async () => ({ facts: [], summaries: [] }),
    savePromptState: async (_k, s) => { saved.push(s); },
    now: () => new Date('2026-11-21T12:00:00Z'),
    changes,
    ...overrides,
  };
  return { service: new PromptService(deps), saved, library, bookReads, globals, changes };
}

