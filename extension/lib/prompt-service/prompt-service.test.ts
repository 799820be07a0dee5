import { describe, expect, it } from 'vitest';
import type { Character, Lorebook } from '@troupe/shared/cards';
import { PromptService, type ChatPromptState, type PromptServiceDeps } from './prompt-service.ts';
import { DEFAULT_CHAT_SETTINGS, type ChatSettings } from './chat-settings.ts';

const NEXTCHAT_SYSTEM = '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10\nCurrent model: gpt-4o-mini\n';
const body = (text: string) => JSON.stringify({ messages: [{ role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'user', content: text }], stream: true, model: 'gpt-4o-mini', max_tokens: 4000 });

const card: Character = {
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
const world: Lorebook = { name: 'Harbour', extensions: {}, entries: [
  { keys: ['tide'], content: 'Tides come twice a day.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false },
] };

function setup(overrides: Partial<PromptServiceDeps> = {}) {
  const saved: ChatPromptState[] = [];
  const deps: PromptServiceDeps = {
    readChat: async () => ({ characterId: 'c1', promptState: saved.at(-1) ?? null }),
    defaultPersona: async () => ({ name: '', description: '' }),
    savedPersonas: async () => [],
    characterVersion: async () => 1,
    readCard: async () => card,
    linkedLorebook: async () => world,
    exchanges: async () => 0,
    savePromptState: async (_k, s) => { saved.push(s); },
    now: () => new Date('2026-11-21T12:00:00Z'),
    ...overrides,
  };
  return { service: new PromptService(deps), saved };
}

describe('PromptService', () => {
  it('builds the card, its book and the linked world into the request and reports why lore fired', async () => {
    const { service, saved } = setup();
    const out = await service.build('o#s1', body('Is the lighthouse near the tide pools?'));
    const sent = JSON.parse(out.body!);
    const text = JSON.stringify(sent.messages);
    expect(text).not.toContain('You are ChatGPT');
    expect(text).toContain('Mira draws maps for User.');
    expect(text).toContain('The lighthouse has been dark for a year.');
    expect(text).toContain('Tides come twice a day.');
    expect(text).not.toContain('Towers lean east');
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'Is the lighthouse near the tide pools?' });
    expect(sent).toMatchObject({ stream: true, model: 'gpt-4o-mini', max_tokens: 4000 });
    expect(out.characterId).toBe('c1');
    expect(out.report!.lore.entries.map((e) => e.why).sort()).toEqual(['key "lighthouse"', 'key "tide"']);
    expect(out.report!.fit.fits).toBe(true);
    expect(out.report!.parts.every((p) => p.tokens > 0)).toBe(true);
    expect(service.lastReport('o#s1')).toEqual(out.report);
    expect(saved).toHaveLength(1);
  });

  it('persists macro variables set by lore between requests', async () => {
    const { service, saved } = setup();
    await service.build('o#s1', body('Look at that tower!'));
    expect(saved.at(-1)!.variables).toEqual({ seen: 'tower' });
  });

  it('leaves requests alone when no character is active or the body is not a chat turn', async () => {
    const { service } = setup({ readChat: async () => ({ characterId: null, promptState: null }) });
    expect((await service.build('o#s1', body('hi'))).body).toBeNull();
    const other = setup();
    expect((await other.service.build('o#s1', JSON.stringify({ messages: [{ role: 'user', content: 'x' }], stream: false }))).body).toBeNull();
  });

  it('reads each card version once', async () => {
    let reads = 0;
    const { service } = setup({ linkedLorebook: async () => { reads++; return null; } });
    await service.build('o#s1', body('one'));
    await service.build('o#s1', body('two'));
    expect(reads).toBe(1);
  });

  it('starts a new chat with the chosen greeting, the chat persona and the author\'s note at its depth', async () => {
    const settings: ChatSettings = {
      version: 1, persona: { name: 'Ann', description: '{{user}} keeps the harbour log.' },
      authorNote: { text: 'Answer in one line.', depth: 0, everyN: 0, role: 'system' }, greetingIndex: 1,
    };
    const { service } = setup({ readChat: async () => ({ characterId: 'c1', promptState: null, settings }) });
    const sent = JSON.parse((await service.build('o#s1', body('Hello')))!.body!) as { messages: { role: string; content: string }[] };
    const tail = sent.messages.slice(-3);
    expect(tail).toEqual([
      { role: 'assistant', content: 'Welcome aboard, Ann.' },
      { role: 'user', content: 'Hello' },
      { role: 'system', content: 'Answer in one line.' },
    ]);
    expect(JSON.stringify(sent.messages)).toContain('Ann keeps the harbour log.');
  });

  it('uses the default persona unless the chat sets one, and leaves the greeting out once NextChat\'s window has moved on', async () => {
    const history = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [
      { role: 'system', content: NEXTCHAT_SYSTEM }, { role: 'assistant', content: 'Earlier reply' }, { role: 'user', content: 'Hello again' },
    ] });
    const { service } = setup({
      readChat: async () => ({ characterId: 'c1', promptState: null, settings: DEFAULT_CHAT_SETTINGS }),
      defaultPersona: async () => ({ name: 'Bo', description: '' }),
      exchanges: async () => 3,
    });
    const sent = JSON.parse((await service.build('o#s1', history))!.body!) as { messages: { role: string; content: string }[] };
    const text = JSON.stringify(sent.messages);
    expect(text).toContain('Mira draws maps for Bo.');
    expect(text).not.toContain('Ahoy');
    expect(sent.messages.at(-2)).toEqual({ role: 'assistant', content: 'Earlier reply' });
  });

  it('keeps a chat\'s context until told to forget it', async () => {
    let reads = 0;
    const { service } = setup({ exchanges: async () => { reads++; return 0; } });
    await service.build('o#s1', body('one'));
    await service.build('o#s1', body('two'));
    expect(reads).toBe(1);
    service.forget('o#s1');
    await service.build('o#s1', body('three'));
    expect(reads).toBe(2);
  });

  it('updates a kept chat\'s length when a reply is saved, without reading the chat again', async () => {
    let reads = 0;
    const { service } = setup({ exchanges: async () => { reads++; return 0; } });
    const first = await service.build('o#s1', body('one'));
    expect(JSON.stringify(JSON.parse(first.body!).messages)).toContain('Ahoy');
    service.replySaved('o#s1', 1);
    const second = await service.build('o#s1', JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [
      { role: 'assistant', content: 'Ahoy, User.' }, { role: 'user', content: 'one' }, { role: 'assistant', content: 'Hi' }, { role: 'user', content: 'two' },
    ] }));
    expect(reads).toBe(1);
    // Two user turns in NextChat's window and one remembered exchange: the chat starts at the beginning.
    expect(second.userText).toBe('two');
    expect(second.report!.parts.length).toBeGreaterThan(0);
  });

  it('checks a character\'s version once until the library changes, and the default persona once until it is set', async () => {
    let versionReads = 0;
    let personaReads = 0;
    let version = 1;
    const { service } = setup({
      characterVersion: async () => { versionReads++; return version; },
      defaultPersona: async () => { personaReads++; return { name: personaReads > 1 ? 'Cy' : 'Bo', description: '' }; },
    });
    await service.build('o#s1', body('one'));
    await service.build('o#s1', body('two'));
    expect([versionReads, personaReads]).toEqual([1, 1]);
    version = 2;
    service.forgetCharacters();
    service.forgetPersonas();
    const third = await service.build('o#s1', body('three'));
    expect([versionReads, personaReads]).toEqual([2, 2]);
    expect(JSON.stringify(JSON.parse(third.body!).messages)).toContain('Mira draws maps for Cy.');
  });

  it('reads a character again after a failed version check', async () => {
    let calls = 0;
    const { service } = setup({ characterVersion: async () => { calls++; if (calls === 1) throw new Error('busy'); return 1; } });
    await expect(service.build('o#s1', body('one'))).rejects.toThrow('busy');
    expect((await service.build('o#s1', body('two'))).body).not.toBeNull();
  });
});
