import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SavedPersona } from '../../../messaging/personas.ts';
import { MAX_PERSONA_AVATAR_BYTES } from '../../../messaging/limits/persona.ts';
import { persona } from './persona.tsx';
import { click, expectStopped, fakeBackground, field, keepChatSettings, mountFeature, pickFiles, press, typeInto, type FakeBackground, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

const ANN: SavedPersona = { id: 'p-ann', name: 'Ann', description: '{{user}} sails a small boat.', avatar: null, updatedAt: 1 };

/** Saved personas as the background keeps them: listed, saved (a new one gets an id), deleted. */
function keepPersonas(background: FakeBackground, initial: SavedPersona[] = []) {
  let personas = [...initial];
  background.answer('personas.list', () => personas);
  background.answer('personas.save', ({ id, name, description, avatar }) => {
    const saved = { id: id ?? `p-${name.toLowerCase()}`, name, description, avatar: avatar ? 'data:image/webp;base64,AA' : null, updatedAt: 2 };
    personas = [...personas.filter((p) => p.id !== saved.id), saved];
    return saved;
  });
  background.answer('personas.delete', ({ id }) => {
    personas = personas.filter((p) => p.id !== id);
    return {};
  });
}

const section = () => mounted!.section();
const outcome = () => section().querySelector('[role="status"], [role="alert"]')?.textContent;
const radio = (name: string) => [...section().querySelectorAll<HTMLLabelElement>('label.persona-choice')].find((l) => l.querySelector('.name')?.textContent?.startsWith(name))!.querySelector('input')!;

describe('persona', () => {
  it('shows the chat\'s persona with the saved ones to pick from, and names it while closed', async () => {
    const background = fakeBackground();
    keepChatSettings(background, { defaultPersona: { name: 'Bo', description: '' }, saved: { 'o#1': { persona: { id: ANN.id, name: ANN.name, description: ANN.description } } } });
    keepPersonas(background, [ANN]);
    mounted = mountFeature(persona, { background });
    await vi.waitFor(() => expect(field(section(), 'Persona name').value).toBe('Ann'));
    expect(field<HTMLTextAreaElement>(section(), 'Persona description').value).toBe('{{user}} sails a small boat.');
    expect(radio('Ann').checked).toBe(true);
    expect(radio('Default').parentElement!.querySelector('.name')!.textContent).toBe('Default (Bo)');
    expect(section().textContent).toContain('Uses Ann from your personas.');
    expect(background.callsOf('chat.settings.get')).toEqual([{ chatKey: 'o#1' }]);
    expect(background.callsOf('personas.list')).toHaveLength(1);
    mounted.unmount();

    mounted = mountFeature(persona, { background, closed: true });
    await vi.waitFor(() => expect(mounted!.summary()).toBe('Ann'));
  });

  it('saves what the person wrote for this chat, or as every chat\'s default', async () => {
    const background = fakeBackground();
    keepChatSettings(background);
    keepPersonas(background);
    mounted = mountFeature(persona, { background });
    await vi.waitFor(() => expect(section().querySelector('form')).not.toBeNull());
    typeInto(field(section(), 'Persona name'), ' Ann ');
    typeInto(field<HTMLTextAreaElement>(section(), 'Persona description'), 'A sailor.');
    await press(section, 'Save persona');
    await vi.waitFor(() => expect(outcome()).toBe('Saved for this chat.'));
    await press(section, 'Save as default persona');
    await vi.waitFor(() => expect(outcome()).toBe('Saved as the default persona.'));
    expect(background.callsOf('chat.settings.update')).toEqual([
      { chatKey: 'o#1', persona: { name: 'Ann', description: 'A sailor.' } },
      { chatKey: 'o#1', persona: null, defaultPersona: { name: 'Ann', description: 'A sailor.' } },
    ]);
  });

  it('saves a persona with its picture to the person\'s personas, picks, updates and deletes it', async () => {
    const background = fakeBackground();
    keepChatSettings(background);
    keepPersonas(background);
    mounted = mountFeature(persona, { background });
    await vi.waitFor(() => expect(section().querySelector('form')).not.toBeNull());
    typeInto(field(section(), 'Persona name'), 'Ann');
    pickFiles(field(section(), 'Persona avatar'), [new File([new Uint8Array([137, 80, 78, 71])], 'ann.png', { type: 'image/png' })]);
    await press(section, 'Save to my personas');
    await vi.waitFor(() => expect(outcome()).toBe('Saved Ann to your personas; this chat uses it.'));
    expect(background.callsOf('personas.save')).toEqual([{ id: null, name: 'Ann', description: '', avatar: { base64: 'iVBORw==' } }]);
    expect(background.callsOf('chat.settings.update')).toEqual([{ chatKey: 'o#1', persona: { id: 'p-ann', name: 'Ann', description: '' } }]);
    await vi.waitFor(() => expect(radio('Ann').checked).toBe(true));

    click(radio('Default'));
    await vi.waitFor(() => expect(section().textContent).toContain('This chat uses the default persona.'));
    expect(background.callsOf('chat.settings.update').at(-1)).toEqual({ chatKey: 'o#1', persona: null });
    click(radio('Ann'));
    await vi.waitFor(() => expect(background.callsOf('chat.settings.update').at(-1)).toEqual({ chatKey: 'o#1', persona: { id: 'p-ann', name: 'Ann', description: '' } }));
    await vi.waitFor(() => expect(section().textContent).toContain('Uses Ann from your personas.'));

    typeInto(field<HTMLTextAreaElement>(section(), 'Persona description'), 'Mends nets.');
    await press(section, 'Update Ann');
    await vi.waitFor(() => expect(outcome()).toBe('Updated Ann in every chat that uses it.'));
    expect(background.callsOf('personas.save').at(-1)).toEqual({ id: 'p-ann', name: 'Ann', description: 'Mends nets.' });

    await press(section, 'Delete Ann');
    await vi.waitFor(() => expect(outcome()).toBe('Deleted Ann; chats that used it keep its text.'));
    expect(background.callsOf('personas.delete')).toEqual([{ id: 'p-ann' }]);
    await vi.waitFor(() => expect(section().querySelector('fieldset.personas')).toBeNull());
  });

  it('says in its section what failed: a picture too large, a save, the load', async () => {
    const background = fakeBackground();
    keepChatSettings(background);
    keepPersonas(background);
    background.answer('chat.settings.update', () => { throw new Error('the chat is gone'); });
    mounted = mountFeature(persona, { background });
    await vi.waitFor(() => expect(section().querySelector('form')).not.toBeNull());
    typeInto(field(section(), 'Persona name'), 'Ann');
    pickFiles(field(section(), 'Persona avatar'), [new File([new Uint8Array(MAX_PERSONA_AVATAR_BYTES + 1)], 'big.png', { type: 'image/png' })]);
    await press(section, 'Save to my personas');
    await vi.waitFor(() => expect(outcome()).toMatch(/^That picture is .* MB; the limit is .* MB\.$/));
    expect(background.callsOf('personas.save')).toEqual([]);
    await press(section, 'Save persona');
    await vi.waitFor(() => expect(outcome()).toBe('the chat is gone'));
    mounted.unmount();

    background.answer('personas.list', () => { throw new Error('personas unavailable'); });
    mounted = mountFeature(persona, { background });
    await vi.waitFor(() => expect(section().textContent).toBe('Persona failed: personas unavailableTry again'));
  });

  it('reads again when the personas or this chat change elsewhere, and stops with its signal', async () => {
    const background = fakeBackground();
    keepChatSettings(background);
    keepPersonas(background);
    mounted = mountFeature(persona, { background });
    await vi.waitFor(() => expect(section().querySelector('form')).not.toBeNull());
    background.emit({ type: 'personas-changed' });
    await vi.waitFor(() => expect(background.callsOf('personas.list')).toHaveLength(2));
    background.emit({ type: 'chat-changed', chatKey: 'o#9' });
    background.emit({ type: 'chat-changed', chatKey: 'o#1' });
    await vi.waitFor(() => expect(background.callsOf('personas.list')).toHaveLength(3));
    expect(background.callsOf('chat.settings.get').map((p) => p.chatKey)).toEqual(['o#1', 'o#1', 'o#1']);
    await expectStopped(mounted, [{ type: 'personas-changed' }, { type: 'chat-changed', chatKey: 'o#1' }]);
  });
});
