import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCharacter } from './create-character.tsx';
import { button, expectStopped, fakeBackground, field, mountFeature, pickFiles, press, typeInto, type MountedFeature } from '../test-support.ts';

let mounted: MountedFeature | undefined;
afterEach(() => mounted?.unmount());

const section = () => mounted!.section();
const form = () => section().querySelector('form[aria-label="New character"]')!;

describe('create-character', () => {
  it('creates the character the person described (needing a name), then empties the form', async () => {
    const background = fakeBackground();
    background.answer('characters.create', ({ name }) => ({ id: 'c1', name, description: '', avatar: null, updatedAt: 1 }));
    mounted = mountFeature(createCharacter, { background, chatKey: null });
    expect(button(form(), 'Create character').disabled).toBe(true);
    typeInto(field(form(), 'Name'), '   ');
    expect(button(form(), 'Create character').disabled).toBe(true);
    typeInto(field(form(), 'Name'), 'Mira');
    typeInto(field<HTMLTextAreaElement>(form(), 'Description'), 'A cartographer.');
    pickFiles(field(form(), 'Avatar'), [new File([new Uint8Array([137, 80, 78, 71])], 'mira.png', { type: 'image/png' })]);
    await press(section, 'Create character');
    await vi.waitFor(() => expect(field(form(), 'Name').value).toBe(''));
    expect(background.callsOf('characters.create')).toEqual([{ name: 'Mira', description: 'A cartographer.', avatar: 'data:image/png;base64,iVBORw==' }]);
  });

  it('refuses a picture that is not an image, and says when the character could not be created (keeping what was typed)', async () => {
    const background = fakeBackground();
    background.answer('characters.create', () => { throw new Error('the library is full'); });
    mounted = mountFeature(createCharacter, { background });
    pickFiles(field(form(), 'Avatar'), [new File(['text'], 'notes.txt', { type: 'text/plain' })]);
    await vi.waitFor(() => expect(section().querySelector('[role="alert"]')?.textContent).toBe('Choose a PNG, JPEG, WebP or GIF image.'));
    typeInto(field(form(), 'Name'), 'Mira');
    await press(section, 'Create character');
    await vi.waitFor(() => expect([...section().querySelectorAll('[role="alert"]')].map((alert) => alert.textContent)).toContain('the library is full'));
    expect(field(form(), 'Name').value).toBe('Mira');
    expect(background.callsOf('characters.create')).toEqual([{ name: 'Mira', description: '', avatar: null }]);
  });

  it('stops with its signal', async () => {
    mounted = mountFeature(createCharacter);
    await expectStopped(mounted, [{ type: 'characters-changed' }]);
  });
});
