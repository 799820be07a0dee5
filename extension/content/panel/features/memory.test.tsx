import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEMORY_VIEW_FORMAT, type MemoryFactView, type MemoryView } from '../../../messaging/protocols/memory-protocol.ts';
import { RuntimeCallError } from '../../../client/runtime-client.ts';
import { memory } from './memory.tsx';
import { button, click, expectStopped, fakeBackground, field, MIRA, mountFeature, press, typeInto, type FakeBackground, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

/**
 * Chats' pinned facts as the background keeps them: read, pinned (a new one gets the next id and a
 * token count of its words), edited, removed, each answered with the chat's whole memory.
 */
function keepMemory(background: FakeBackground, saved: Record<string, string[]> = {}): Map<string, MemoryFactView[]> {
  let made = 0;
  const fact = (text: string): MemoryFactView => ({ id: `f${++made}`, text, tokens: text.split(' ').length, at: made });
  const chats = new Map(Object.entries(saved).map(([chatKey, texts]) => [chatKey, texts.map(fact)]));
  const view = (chatKey: string): MemoryView => ({ format: MEMORY_VIEW_FORMAT, chatKey, facts: chats.get(chatKey) ?? [] });
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
    background.answer('memory.get', ({ chatKey }) => ({ format: MEMORY_VIEW_FORMAT, chatKey, facts: [{ id: 'f9', text: 'Uncounted.', tokens: null, at: 1 }] }));
    background.emit({ type: 'memory-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(shown()).toEqual([['Uncounted.', '']]));
  });

  it('pins what the person wrote (trimmed), clears the field for the next one, and pins on Ctrl+Enter too', async () => {
    const background = fakeBackground();
    const chats = keepMemory(background);
    mounted = mountFeature(memory, { background, character: MIRA });
    await vi.waitFor(() => expect(addField()).toBeDefined());
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
