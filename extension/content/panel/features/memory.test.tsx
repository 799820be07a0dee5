import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEMORY_VIEW_FORMAT, type MemoryFactView, type MemorySummaryView, type MemoryView } from '../../../messaging/protocols/memory-protocol.ts';
import { RuntimeCallError } from '../../../client/runtime-client.ts';
import { memory } from './memory.tsx';
import { button, click, expectStopped, fakeBackground, field, MIRA, mountFeature, press, typeInto, type FakeBackground, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

/** A chat's summaries and how many of its messages memory keeps, as the background would show them. */
interface Summarised { summaries: MemorySummaryView[]; messages: number }

const words = (text: string) => text.split(' ').length;

/** A level-0 summary by the local summariser over 25 messages, costing a token a word, unless told otherwise. */
const summary = (id: string, text: string, over: Partial<MemorySummaryView> = {}): MemorySummaryView =>
  ({ id, level: 0, text, tokens: words(text), source: 'local', messages: 25, at: 1, ...over });

/**
 * Chats' memory as the background keeps it: pinned facts read, pinned (a new one gets the next id and a
 * token count of its words), edited, removed; summaries (in `summarised`, changed in place) corrected
 * by the person (theirs from then on) or forgotten to be made again; each answered with the chat's
 * whole memory.
 */
function keepMemory(background: FakeBackground, saved: Record<string, string[]> = {}, summarised: Record<string, Summarised> = {}): Map<string, MemoryFactView[]> {
  let made = 0;
  const fact = (text: string): MemoryFactView => ({ id: `f${++made}`, text, tokens: words(text), at: made });
  const chats = new Map(Object.entries(saved).map(([chatKey, texts]) => [chatKey, texts.map(fact)]));
  const view = (chatKey: string): MemoryView => ({
    format: MEMORY_VIEW_FORMAT, chatKey, facts: chats.get(chatKey) ?? [], summaries: summarised[chatKey]?.summaries ?? [], messages: summarised[chatKey]?.messages ?? 0,
    longTerm: { on: false, otherChats: 0 }, recent: [],
  });
  const summariesOf = (chatKey: string, id?: string) => {
    const kept = summarised[chatKey];
    if (id !== undefined && !kept?.summaries.some((s) => s.id === id)) throw new RuntimeCallError('memory/summary-not-found', 'This summary is no longer in the chat\'s memory.');
    return kept ?? { summaries: [], messages: 0 };
  };
  background.answer('memory.summaries.update', ({ chatKey, id, text }) => {
    const kept = summariesOf(chatKey, id);
    kept.summaries = kept.summaries.map((s) => (s.id === id ? { ...s, text, tokens: words(text), source: 'user-edited' } : s));
    return view(chatKey);
  });
  background.answer('memory.summaries.redo', ({ chatKey, id }) => {
    const kept = summariesOf(chatKey, id);
    kept.summaries = id === undefined ? [] : kept.summaries.filter((s) => s.id !== id);
    return view(chatKey);
  });
  background.answer('memory.get', ({ chatKey }) => view(chatKey));
  background.answer('memory.facts.add', ({ chatKey, text }) => {
    chats.set(chatKey, [...(chats.get(chatKey) ?? []), fact(text)]);
    return view(chatKey);
  });
  background.answer('memory.facts.update', ({ chatKey, id, text }) => {
    chats.set(chatKey, (chats.get(chatKey) ?? []).map((f) => (f.id === id ? { ...f, text, tokens: null } : f)));
    return view(chatKey);
  });
  background.answer('memory.facts.remove', ({ chatKey, id }) => {
    chats.set(chatKey, (chats.get(chatKey) ?? []).filter((f) => f.id !== id));
    return view(chatKey);
  });
  return chats;
}

const section = () => mounted!.section();
const list = () => section().querySelector<HTMLUListElement>('ul[aria-label="Pinned facts"]');
/** Each pinned fact as shown: its text and, when counted, its cost. */
const shown = () => [...list()?.querySelectorAll('li') ?? []].map((li) => [li.querySelector('.memory-text')?.textContent, li.querySelector('.muted')?.textContent]);
const row = (text: string) => [...list()!.querySelectorAll('li')].find((li) => li.querySelector('.memory-text')?.textContent === text)!;
const addField = () => field<HTMLTextAreaElement>(section(), 'Remember that…');
const editField = () => field<HTMLTextAreaElement>(section(), 'Edit fact');
const alert = () => section().querySelector('[role="alert"]')?.textContent;
const focused = () => document.activeElement;

/** The person presses `key` in `target` (with Ctrl, say). */
function pressKey(target: HTMLElement, key: string, modifiers: KeyboardEventInit = {}): void {
  act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers })));
}

describe('memory', () => {
  it('shows the chat\'s pinned facts with their cost, and counts them while closed', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira\'s sister lives in Tallinn.', 'Mira fears deep water.'], 'o#2': ['Bo has one eye.'] });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(shown()).toEqual([['Mira\'s sister lives in Tallinn.', '5 tokens'], ['Mira fears deep water.', '4 tokens']]));
    expect(background.callsOf('memory.get')).toEqual([{ chatKey: 'o#1' }]);
    expect(section().querySelector('p')!.textContent).toBe('Pinned facts are always given to Mira in this chat, however long it grows.');
    mounted.unmount();

    mounted = mountFeature(memory, { background, character: MIRA, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('2 pinned facts'));
    mounted.unmount();
    mounted = mountFeature(memory, { background, chatKey: 'o#2', character: MIRA, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('1 pinned fact'));
    mounted.unmount();
    mounted = mountFeature(memory, { background, chatKey: 'o#3', character: MIRA, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('No pinned facts'));
  });

  it('shows nothing and loads nothing without a character; says when a chat has no facts', async () => {
    const background = fakeBackground();
    keepMemory(background);
    mounted = mountFeature(memory, { background });
    expect(section().textContent).toBe('');
    expect(background.calls).toEqual([]);
    mounted.openChat('o#1', MIRA);
    await vi.waitFor(() => expect(section().textContent).toContain('No pinned facts yet.'));
    expect(list()).toBeNull();
    // A fact's cost is left out until it is counted.
    background.answer('memory.get', ({ chatKey }) => ({ format: MEMORY_VIEW_FORMAT, chatKey, facts: [{ id: 'f9', text: 'Uncounted.', tokens: null, at: 1 }], summaries: [], messages: 0, longTerm: { on: false, otherChats: 0 }, recent: [] }));
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(shown()).toEqual([['Uncounted.', '']]));
  });

  it('pins what the person wrote (trimmed), clears the field for the next one, and pins on Ctrl+Enter too', async () => {
    const background = fakeBackground();
    const chats = keepMemory(background);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(addField()).toBeInstanceOf(HTMLTextAreaElement));
    expect(button(section(), 'Pin').disabled).toBe(true);
    typeInto(addField(), '   \n ');
    expect(button(section(), 'Pin').disabled).toBe(true);

    typeInto(addField(), '  Mira keeps her maps in a tin.\n');
    await press(section, 'Pin');
    await vi.waitFor(() => expect(shown()).toEqual([['Mira keeps her maps in a tin.', '7 tokens']]));
    expect(background.callsOf('memory.facts.add')).toEqual([{ chatKey: 'o#1', text: 'Mira keeps her maps in a tin.' }]);
    expect(addField().value).toBe('');
    expect(button(section(), 'Pin').disabled).toBe(true);
    await vi.waitFor(() => expect(focused()).toBe(addField()));
    expect(section().querySelector('[role="status"]')?.textContent).toBe('Pinned for this chat.');

    typeInto(addField(), 'She hums when she draws.');
    pressKey(addField(), 'Enter');
    expect(background.callsOf('memory.facts.add')).toHaveLength(1);
    pressKey(addField(), 'Enter', { ctrlKey: true });
    await vi.waitFor(() => expect(shown().map(([text]) => text)).toEqual(['Mira keeps her maps in a tin.', 'She hums when she draws.']));
    expect(background.callsOf('memory.facts.add').at(-1)).toEqual({ chatKey: 'o#1', text: 'She hums when she draws.' });
    expect(chats.get('o#1')).toHaveLength(2);
  });

  it('says in its section, in the background\'s words, why a fact was refused, and keeps what the person typed', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira fears deep water.'] });
    background.answer('memory.facts.add', () => { throw new RuntimeCallError('doc/too-many-facts', 'This chat has too many pinned facts (at most 200).'); });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(list()).not.toBeNull());
    typeInto(addField(), 'One fact too many.');
    await press(section, 'Pin');
    await vi.waitFor(() => expect(alert()).toBe('This chat has too many pinned facts (at most 200).'));
    expect(addField().value).toBe('One fact too many.');
    expect(shown()).toEqual([['Mira fears deep water.', '4 tokens']]);
    expect(button(section(), 'Pin').disabled).toBe(false);
    // The person changes the text: the refusal was about what it was.
    typeInto(addField(), 'One fact too many!');
    expect(alert()).toBeUndefined();
  });

  it('edits a fact in place: Save or Ctrl+Enter saves, Cancel or Escape leaves it as it was', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira fears deep water.', 'Mira has a sister.'] });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(list()).not.toBeNull());

    click(button(row('Mira fears deep water.'), 'Edit'));
    await vi.waitFor(() => expect(focused()).toBe(editField()));
    expect(editField().value).toBe('Mira fears deep water.');
    typeInto(editField(), 'Mira fears the open sea.');
    // Escape ends the edit and goes no further: on a phone, Escape at the page closes the panel's sheet.
    const page = new AbortController();
    const escapes = vi.fn();
    document.addEventListener('keydown', escapes, { signal: page.signal });
    pressKey(editField(), 'Escape');
    page.abort();
    expect(escapes).not.toHaveBeenCalled();
    expect(section().querySelector('form[aria-label="Edit fact"]')).toBeNull();
    expect(shown()[0]).toEqual(['Mira fears deep water.', '4 tokens']);
    await vi.waitFor(() => expect(focused()).toBe(button(row('Mira fears deep water.'), 'Edit')));

    click(button(row('Mira fears deep water.'), 'Edit'));
    typeInto(editField(), 'Mira fears the open sea.');
    click(button(section(), 'Cancel'));
    expect(shown()[0]![0]).toBe('Mira fears deep water.');

    click(button(row('Mira fears deep water.'), 'Edit'));
    typeInto(editField(), ' Mira fears the open sea. ');
    await press(section, 'Save');
    await vi.waitFor(() => expect(shown()[0]).toEqual(['Mira fears the open sea.', '']));
    expect(background.callsOf('memory.facts.update')).toEqual([{ chatKey: 'o#1', id: 'f1', text: 'Mira fears the open sea.' }]);
    await vi.waitFor(() => expect(focused()).toBe(button(row('Mira fears the open sea.'), 'Edit')));

    click(button(row('Mira has a sister.'), 'Edit'));
    typeInto(editField(), 'Mira has a younger sister.');
    pressKey(editField(), 'Enter', { metaKey: true });
    await vi.waitFor(() => expect(shown()[1]![0]).toBe('Mira has a younger sister.'));
    expect(background.callsOf('memory.facts.update').at(-1)).toEqual({ chatKey: 'o#1', id: 'f2', text: 'Mira has a younger sister.' });

    // Saving an edit that changed nothing, or emptied the fact, asks nothing of the background.
    click(button(row('Mira has a younger sister.'), 'Edit'));
    typeInto(editField(), '  ');
    expect(button(section(), 'Save').disabled).toBe(true);
    typeInto(editField(), 'Mira has a younger sister.');
    click(button(section(), 'Save'));
    await vi.waitFor(() => expect(section().querySelector('form[aria-label="Edit fact"]')).toBeNull());
    expect(background.callsOf('memory.facts.update')).toHaveLength(2);
  });

  it('keeps an edit open with what was typed when the background refuses it', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira fears deep water.'] });
    background.answer('memory.facts.update', () => { throw new RuntimeCallError('doc/fact-too-long', 'This fact is too long to pin (2001 characters, at most 2000).'); });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(list()).not.toBeNull());
    click(button(row('Mira fears deep water.'), 'Edit'));
    typeInto(editField(), 'A very long fact.');
    await press(section, 'Save');
    await vi.waitFor(() => expect(alert()).toBe('This fact is too long to pin (2001 characters, at most 2000).'));
    expect(editField().value).toBe('A very long fact.');
    await vi.waitFor(() => expect(focused()).toBe(editField()));
  });

  it('deletes a fact at once, and moves focus to the fact that takes its place, or to the field once none is left', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['First.', 'Second.', 'Third.'] });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(list()).not.toBeNull());

    click(button(row('Second.'), 'Delete'));
    await vi.waitFor(() => expect(shown().map(([text]) => text)).toEqual(['First.', 'Third.']));
    expect(background.callsOf('memory.facts.remove')).toEqual([{ chatKey: 'o#1', id: 'f2' }]);
    await vi.waitFor(() => expect(focused()).toBe(button(row('Third.'), 'Edit')));
    expect(section().querySelector('[role="status"]')?.textContent).toBe('Fact deleted.');

    click(button(row('Third.'), 'Delete'));
    await vi.waitFor(() => expect(focused()).toBe(button(row('First.'), 'Edit')));
    click(button(row('First.'), 'Delete'));
    await vi.waitFor(() => expect(section().textContent).toContain('No pinned facts yet.'));
    await vi.waitFor(() => expect(focused()).toBe(addField()));
    expect(background.callsOf('memory.facts.remove').map((p) => p.id)).toEqual(['f2', 'f3', 'f1']);
  });

  it('reads the facts again when this chat\'s memory changes elsewhere, not another chat\'s, keeping what the person is typing', async () => {
    const background = fakeBackground();
    const chats = keepMemory(background, { 'o#1': ['Mira fears deep water.'] });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(list()).not.toBeNull());
    typeInto(addField(), 'Half a thought');

    background.emit({ type: 'memory-changed', chatKey: 'o#2' });
    background.emit({ type: 'chat-changed', chatKey: 'o#2' });
    expect(background.callsOf('memory.get')).toHaveLength(1);

    chats.set('o#1', [...chats.get('o#1')!, { id: 'f7', text: 'Pinned on another device.', tokens: 4, at: 7 }]);
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(shown().map(([text]) => text)).toEqual(['Mira fears deep water.', 'Pinned on another device.']));
    background.emit({ type: 'chat-changed', chatKey: 'o#1' });
    expect(background.callsOf('memory.get')).toEqual([{ chatKey: 'o#1' }, { chatKey: 'o#1' }, { chatKey: 'o#1' }]);
    expect(addField().value).toBe('Half a thought');
  });

  it('stops with its signal', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira fears deep water.'] });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(list()).not.toBeNull());
    await expectStopped(mounted, [{ type: 'memory-changed', chatKey: 'o#1' }, { type: 'chat-changed', chatKey: 'o#1' }, { type: 'reconnected' }]);
  });
});

/** A long chat's memory: five summaries, oldest part first, by each kind of writer, over 214 messages. */
const longChat = (): Record<string, Summarised> => ({
  'o#1': {
    messages: 214,
    summaries: [
      summary('s2-a', 'Mira and Bo met at the harbour and set out to chart the northern coast.', { level: 2, messages: 120, tokens: 290 }),
      summary('s1-b', 'They wintered in Tallinn with Mira\'s sister.', { level: 1, messages: 30, tokens: 250, source: 'model' }),
      summary('s0-c', 'They lost the tin of maps in a storm.', { messages: 38, tokens: 182 }),
      summary('s0-d', 'Bo admitted he cannot swim.', { source: 'model' }),
      summary('s0-e', 'Mira drew a new map.', { messages: 1, tokens: 1, source: 'user-edited' }),
    ],
  },
});

const summaryList = () => section().querySelector<HTMLUListElement>('ul[aria-label="Summaries"]');
/** Each summary as shown: its text, and what it covers, costs and who wrote it. */
const summariesShown = () => [...summaryList()?.querySelectorAll('li') ?? []].map((li) => [li.querySelector('.memory-text')?.textContent, li.querySelector('.memory-about')?.textContent]);
const summaryRow = (text: string) => [...summaryList()!.querySelectorAll('li')].find((li) => li.querySelector('.memory-text')?.textContent === text)!;
const summaryField = () => field<HTMLTextAreaElement>(section(), 'Edit summary');
const heading = () => section().querySelector<HTMLHeadingElement>('h4')!;
/** The line that says how much of the chat memory keeps. */
const keptLine = () => [...section().querySelectorAll('p')].find((p) => p.textContent?.startsWith('Troupe keeps'))?.textContent;
const status = () => section().querySelector('[role="status"]')?.textContent;
const NO_SUMMARIES = 'No summaries yet: Troupe summarises a chat once it is long, in the background.';
const REDO_ALL = 'Summarise the whole chat again';

describe('memory summaries', () => {
  it('shows the summaries under the pinned facts, oldest first, with what each covers and costs and who wrote it, and counts them while closed', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira fears deep water.', 'Mira has a sister.'], 'o#2': [] }, {
      ...longChat(), 'o#2': { messages: 60, summaries: [summary('s0-z', 'Bo sold his boat.')] },
    });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summariesShown()).toEqual([
      ['Mira and Bo met at the harbour and set out to chart the northern coast.', 'covers 120 messages · 290 tokens · merged by the local summariser'],
      ['They wintered in Tallinn with Mira\'s sister.', 'covers 30 messages · 250 tokens · merged by a model'],
      ['They lost the tin of maps in a storm.', 'covers 38 messages · 182 tokens · by the local summariser'],
      ['Bo admitted he cannot swim.', 'covers 25 messages · 5 tokens · by a model'],
      ['Mira drew a new map.', 'covers 1 message · 1 token · edited by you'],
    ]));
    expect(heading().textContent).toBe('Summaries');
    expect(keptLine()).toBe('Troupe keeps 214 messages of this chat; older ones are summarised once they are past the newest 20.');
    // The summaries come after the pinned facts and the field to pin one.
    expect(addField().compareDocumentPosition(summaryList()!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(section().textContent).not.toContain(NO_SUMMARIES);
    expect(button(section(), REDO_ALL).disabled).toBe(false);
    expect(background.calls.map((c) => c.type)).toEqual(['memory.get']);
    mounted.unmount();

    mounted = mountFeature(memory, { background, character: MIRA, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('2 pinned facts · 5 summaries'));
    mounted.unmount();
    mounted = mountFeature(memory, { background, chatKey: 'o#2', character: MIRA, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('No pinned facts · 1 summary'));
  });

  it('says who writes the chat\'s summaries, in the background\'s words, under how many messages memory keeps', async () => {
    const background = fakeBackground();
    const text = 'New summaries are written by the local summariser: this chat\'s model is on Anthropic (Claude), whose requests Troupe cannot reuse for summaries (only OpenAI-compatible chat endpoints can).';
    background.answer('memory.get', ({ chatKey }) => ({ format: MEMORY_VIEW_FORMAT, chatKey, facts: [], summaries: [], messages: 3, summariser: { by: 'local', text }, longTerm: { on: false, otherChats: 0 }, recent: [] }));
    mounted = mountFeature(memory, { background, character: MIRA });
    const writer = () => section().querySelector('[aria-label="Who writes summaries"]')?.textContent;
    await vi.waitFor(() => expect(writer()).toBe(text));
    expect(keptLine()).toBe('Troupe keeps 3 messages of this chat; older ones are summarised once they are past the newest 20.');
  });

  it('says when a chat has no summaries yet, offers nothing to make again, and says how many messages memory keeps', async () => {
    const background = fakeBackground();
    const summarised: Record<string, Summarised> = { 'o#1': { messages: 12, summaries: [] } };
    keepMemory(background, { 'o#1': ['Mira fears deep water.'] }, summarised);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(section().textContent).toContain(NO_SUMMARIES));
    expect(summaryList()).toBeNull();
    expect(keptLine()).toBe('Troupe keeps 12 messages of this chat; older ones are summarised once they are past the newest 20.');
    expect(() => button(section(), REDO_ALL)).toThrow();
    expect(() => button(section(), 'Make again')).toThrow();

    summarised['o#1']!.messages = 1;
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(keptLine()).toBe('Troupe keeps 1 message of this chat; older ones are summarised once they are past the newest 20.'));
    summarised['o#1']!.messages = 0;
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(keptLine()).toBe('Troupe keeps no messages of this chat yet; older ones are summarised once they are past the newest 20.'));

    // The background summarised the chat and announced it.
    summarised['o#1'] = { messages: 80, summaries: [summary('s0-a', 'Mira and Bo met.')] };
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(summariesShown()).toEqual([['Mira and Bo met.', 'covers 25 messages · 4 tokens · by the local summariser']]));
    expect(section().textContent).not.toContain(NO_SUMMARIES);
    expect(button(section(), REDO_ALL).disabled).toBe(false);
  });

  it('edits a summary in place: Save or Ctrl+Enter sends the exact trimmed text, Cancel or Escape leaves it as it was', async () => {
    const background = fakeBackground();
    const summarised = longChat();
    keepMemory(background, {}, summarised);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());

    click(button(summaryRow('They lost the tin of maps in a storm.'), 'Edit'));
    await vi.waitFor(() => expect(focused()).toBe(summaryField()));
    expect(summaryField().value).toBe('They lost the tin of maps in a storm.');
    typeInto(summaryField(), 'Something else.');
    // Escape ends the edit and goes no further (a phone's sheet would close).
    const page = new AbortController();
    const escapes = vi.fn();
    document.addEventListener('keydown', escapes, { signal: page.signal });
    pressKey(summaryField(), 'Escape');
    page.abort();
    expect(escapes).not.toHaveBeenCalled();
    expect(section().querySelector('form[aria-label="Edit summary"]')).toBeNull();
    expect(summariesShown()[2]![0]).toBe('They lost the tin of maps in a storm.');
    await vi.waitFor(() => expect(focused()).toBe(button(summaryRow('They lost the tin of maps in a storm.'), 'Edit')));

    click(button(summaryRow('They lost the tin of maps in a storm.'), 'Edit'));
    typeInto(summaryField(), 'Something else.');
    click(button(section(), 'Cancel'));
    expect(summariesShown()[2]![0]).toBe('They lost the tin of maps in a storm.');
    expect(background.callsOf('memory.summaries.update')).toEqual([]);

    // Empty, Save is off; unchanged, Save just ends the edit.
    click(button(summaryRow('They lost the tin of maps in a storm.'), 'Edit'));
    typeInto(summaryField(), ' \n ');
    expect(button(section(), 'Save').disabled).toBe(true);
    typeInto(summaryField(), ' They lost the tin of maps in a storm. ');
    click(button(section(), 'Save'));
    await vi.waitFor(() => expect(section().querySelector('form[aria-label="Edit summary"]')).toBeNull());
    expect(background.callsOf('memory.summaries.update')).toEqual([]);

    click(button(summaryRow('They lost the tin of maps in a storm.'), 'Edit'));
    typeInto(summaryField(), '\n  They lost the maps in a storm.\nBo saved the compass.  \n');
    await press(section, 'Save');
    await vi.waitFor(() => expect(summariesShown()[2]).toEqual(['They lost the maps in a storm.\nBo saved the compass.', 'covers 38 messages · 10 tokens · edited by you']));
    expect(background.callsOf('memory.summaries.update')).toStrictEqual([{ chatKey: 'o#1', id: 's0-c', text: 'They lost the maps in a storm.\nBo saved the compass.' }]);
    expect(status()).toBe('Summary saved.');
    await vi.waitFor(() => expect(focused()).toBe(button(summaryRow('They lost the maps in a storm.\nBo saved the compass.'), 'Edit')));

    click(button(summaryRow('Bo admitted he cannot swim.'), 'Edit'));
    typeInto(summaryField(), 'Bo cannot swim.');
    pressKey(summaryField(), 'Enter');
    expect(background.callsOf('memory.summaries.update')).toHaveLength(1);
    pressKey(summaryField(), 'Enter', { ctrlKey: true });
    await vi.waitFor(() => expect(summariesShown()[3]).toEqual(['Bo cannot swim.', 'covers 25 messages · 3 tokens · edited by you']));
    expect(background.callsOf('memory.summaries.update').at(-1)).toStrictEqual({ chatKey: 'o#1', id: 's0-d', text: 'Bo cannot swim.' });
    expect(summarised['o#1']!.summaries.map((s) => s.source)).toEqual(['local', 'model', 'user-edited', 'user-edited', 'user-edited']);
  });

  it('keeps a summary\'s edit open with what was typed, and says why in the background\'s words, when it is refused', async () => {
    const background = fakeBackground();
    keepMemory(background, {}, longChat());
    background.answer('memory.summaries.update', () => { throw new RuntimeCallError('memory/summary-not-found', 'This summary was merged into a newer one; edit that one instead.'); });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());
    click(button(summaryRow('Bo admitted he cannot swim.'), 'Edit'));
    typeInto(summaryField(), 'Bo cannot swim, and hides it.');
    await press(section, 'Save');
    await vi.waitFor(() => expect(alert()).toBe('This summary was merged into a newer one; edit that one instead.'));
    expect(summaryField().value).toBe('Bo cannot swim, and hides it.');
    await vi.waitFor(() => expect(focused()).toBe(summaryField()));
    expect(button(section(), 'Save').disabled).toBe(false);
    expect(background.callsOf('memory.summaries.update')).toStrictEqual([{ chatKey: 'o#1', id: 's0-d', text: 'Bo cannot swim, and hides it.' }]);
  });

  it('makes one summary again, and moves focus to the summary that takes its place, or the one before it', async () => {
    const background = fakeBackground();
    keepMemory(background, {}, longChat());
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());

    click(button(summaryRow('They lost the tin of maps in a storm.'), 'Make again'));
    await vi.waitFor(() => expect(summariesShown()).toHaveLength(4));
    expect(summariesShown().map(([text]) => text)).not.toContain('They lost the tin of maps in a storm.');
    expect(background.callsOf('memory.summaries.redo')).toStrictEqual([{ chatKey: 'o#1', id: 's0-c' }]);
    expect(status()).toBe('This summary will be made again in the background.');
    await vi.waitFor(() => expect(focused()).toBe(button(summaryRow('Bo admitted he cannot swim.'), 'Make again')));

    click(button(summaryRow('Mira drew a new map.'), 'Make again'));
    await vi.waitFor(() => expect(focused()).toBe(button(summaryRow('Bo admitted he cannot swim.'), 'Make again')));
    expect(background.callsOf('memory.summaries.redo').map((p) => p.id)).toEqual(['s0-c', 's0-e']);
  });

  it('says why a summary could not be made again, in the background\'s words, and keeps it and the focus', async () => {
    const background = fakeBackground();
    keepMemory(background, {}, longChat());
    background.answer('memory.summaries.redo', () => { throw new RuntimeCallError('memory/too-new', 'This chat\'s memory was saved by a newer Troupe; update Troupe to change it.'); });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());
    click(button(summaryRow('Bo admitted he cannot swim.'), 'Make again'));
    await vi.waitFor(() => expect(alert()).toBe('This chat\'s memory was saved by a newer Troupe; update Troupe to change it.'));
    expect(summariesShown()).toHaveLength(5);
    await vi.waitFor(() => expect(focused()).toBe(button(summaryRow('Bo admitted he cannot swim.'), 'Make again')));
    // Starting an edit puts the refusal away.
    click(button(summaryRow('Bo admitted he cannot swim.'), 'Edit'));
    expect(alert()).toBeUndefined();
  });

  it('summarises the whole chat again with one call and no id, then says there are none yet and puts focus on the heading', async () => {
    const background = fakeBackground();
    keepMemory(background, { 'o#1': ['Mira fears deep water.'] }, longChat());
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());

    await press(section, REDO_ALL);
    await vi.waitFor(() => expect(section().textContent).toContain(NO_SUMMARIES));
    expect(background.callsOf('memory.summaries.redo')).toStrictEqual([{ chatKey: 'o#1' }]);
    expect(summaryList()).toBeNull();
    expect(() => button(section(), REDO_ALL)).toThrow();
    expect(status()).toBe('The whole chat will be summarised again in the background.');
    expect(keptLine()).toBe('Troupe keeps 214 messages of this chat; older ones are summarised once they are past the newest 20.');
    await vi.waitFor(() => expect(focused()).toBe(heading()));
    // The pinned facts are not summaries: they stay.
    expect(shown()).toEqual([['Mira fears deep water.', '4 tokens']]);
  });

  it('keeps every summary and the focus when the whole chat cannot be summarised again', async () => {
    const background = fakeBackground();
    keepMemory(background, {}, longChat());
    background.answer('memory.summaries.redo', () => { throw new RuntimeCallError('memory/no-character', 'No character is active in this chat.'); });
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());
    await press(section, REDO_ALL);
    await vi.waitFor(() => expect(alert()).toBe('No character is active in this chat.'));
    expect(summariesShown()).toHaveLength(5);
    await vi.waitFor(() => expect(focused()).toBe(button(section(), REDO_ALL)));
  });

  it('keeps a summary being edited through a reload, and ends the edit when the summary is made again elsewhere', async () => {
    const background = fakeBackground();
    const summarised = longChat();
    keepMemory(background, {}, summarised);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(summaryList()).not.toBeNull());
    click(button(summaryRow('Bo admitted he cannot swim.'), 'Edit'));
    typeInto(summaryField(), 'Half a correction');

    summarised['o#1']!.summaries.push(summary('s0-f', 'A storm came.'));
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(summariesShown()).toHaveLength(6));
    expect(summaryField().value).toBe('Half a correction');

    summarised['o#1']!.summaries = summarised['o#1']!.summaries.filter((s) => s.id !== 's0-d');
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(section().querySelector('form[aria-label="Edit summary"]')).toBeNull());
    expect(summariesShown()).toHaveLength(5);
  });
});

describe("memory: pinning a message, and the character's long-term memory", () => {
  /** A chat whose newest messages the background offers; promoting pins one whole; the switch is the character's. */
  function keepChat(background: FakeBackground) {
    const state = { facts: [] as MemoryFactView[], longTerm: { on: false, otherChats: 2 }, pinned: new Set<string>() };
    const recent = [
      { id: 'm1', role: 'user' as const, preview: 'My sister Ilse keeps bees in Harrowgate.' },
      { id: 'm2', role: 'assistant' as const, preview: 'Bees! I will remember that.' },
    ];
    const view = (chatKey: string): MemoryView => ({
      format: MEMORY_VIEW_FORMAT, chatKey, facts: state.facts, summaries: [], messages: 2, longTerm: state.longTerm,
      recent: recent.map((m) => ({ ...m, pinned: state.pinned.has(m.id) })),
    });
    background.answer('memory.get', ({ chatKey }) => view(chatKey));
    background.answer('memory.facts.promote', ({ chatKey, messageId }) => {
      if (messageId === 'm2') throw new RuntimeCallError('memory/message-too-long', 'That message is too long to pin whole.');
      state.pinned.add(messageId);
      state.facts = [...state.facts, { id: `f-${messageId}`, text: recent.find((m) => m.id === messageId)!.preview, tokens: 8, at: 1 }];
      return view(chatKey);
    });
    background.answer('memory.longTerm.set', ({ chatKey, on }) => {
      state.longTerm = { ...state.longTerm, on };
      return view(chatKey);
    });
    return state;
  }
  const select = () => field<HTMLSelectElement>(section(), 'Pin a message');
  const options = () => [...select().options].map((o) => o.textContent);
  const longTermBox = () => field<HTMLInputElement>(section(), 'Long-term memory: Mira remembers their other chats');
  const longTermHelp = () => section().querySelector('#troupe-memory-long-term')?.textContent;

  it('offers the newest messages first, with who said them; pins the chosen one whole and offers it no more', async () => {
    const background = fakeBackground();
    keepChat(background);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(options()).toEqual(['Mira: Bees! I will remember that.', 'You: My sister Ilse keeps bees in Harrowgate.']));
    act(() => {
      select().value = 'm1';
      select().dispatchEvent(new Event('change', { bubbles: true }));
    });
    await press(section, 'Pin message');
    await vi.waitFor(() => expect(shown()).toEqual([['My sister Ilse keeps bees in Harrowgate.', '8 tokens']]));
    expect(background.callsOf('memory.facts.promote')).toEqual([{ chatKey: 'o#1', messageId: 'm1' }]);
    expect(options()).toEqual(['Mira: Bees! I will remember that.']);
    expect(section().querySelector('form[aria-label="Pin from the chat"] [role="status"]')?.textContent).toBe('Message pinned for this chat.');
  });

  it("says in the background's words why a message could not be pinned, and keeps it offered", async () => {
    const background = fakeBackground();
    keepChat(background);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(select().value).toBe('m2'));
    await press(section, 'Pin message');
    await vi.waitFor(() => expect(alert()).toBe('That message is too long to pin whole.'));
    expect(options()).toHaveLength(2);
    expect(list()).toBeNull();
  });

  it("turns the character's long-term memory on and off, and says what it does", async () => {
    const background = fakeBackground();
    keepChat(background);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(longTermBox().checked).toBe(false));
    expect(longTermHelp()).toBe("Off: Mira knows only this chat (2 other chats with Mira on this device). The setting is Mira's, in every chat and on your paired devices.");
    click(longTermBox());
    // Shown at once, while the background is asked; then as the background answered.
    expect(longTermBox().checked).toBe(true);
    await vi.waitFor(() => expect(longTermHelp()).toBe("Facts pinned in Mira's other chats are always given here; what they said there comes back when a message asks about it (2 other chats with Mira on this device)."));
    expect(longTermBox().checked).toBe(true);
    expect(background.callsOf('memory.longTerm.set')).toEqual([{ chatKey: 'o#1', on: true }]);
    await vi.waitFor(() => expect(longTermBox().disabled).toBe(false));
    click(longTermBox());
    await vi.waitFor(() => expect(longTermBox().checked).toBe(false));
    expect(background.callsOf('memory.longTerm.set')).toEqual([{ chatKey: 'o#1', on: true }, { chatKey: 'o#1', on: false }]);
  });
});
