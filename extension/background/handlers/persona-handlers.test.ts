import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ImageTools } from '../library/images.ts';
import { personaStore } from '../personas/persona-store.ts';
import type { RuntimeEvent } from '../../messaging/ports.ts';
import { personaHandlers } from './persona-handlers.ts';

afterEach(() => fakeBrowser.reset());

const PNG_BYTES = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const THUMB = 'data:image/webp;base64,UklGRg==';

function setup(images: ImageTools | null) {
  const events: RuntimeEvent[] = [];
  const unfollowed: string[] = [];
  const followers = {
    unfollowInChats: async (p: { name: string }) => { unfollowed.push(`chats:${p.name}`); return ['o#1', 'o#2']; },
    unfollowAsDefault: async (p: { name: string }) => { unfollowed.push(`default:${p.name}`); },
  };
  const handlers = personaHandlers(personaStore(), images, followers, (e) => events.push(e));
  return { handlers, events, unfollowed };
}

const fakeImages = (result: string | null): ImageTools & { seen: string[] } => {
  const seen: string[] = [];
  return { seen, thumbnail: async (_blob, mime) => { seen.push(mime); return result; }, toPng: async () => null };
};

describe('persona handlers', () => {
  it('store the avatar as the background\'s thumbnail of the picture, and announce each change', async () => {
    const images = fakeImages(THUMB);
    const { handlers, events, unfollowed } = setup(images);
    const ann = await handlers['personas.save']({ id: null, name: 'Ann', description: 'A sailor.', avatar: { base64: PNG_BYTES } });
    expect(images.seen).toEqual(['image/png']);
    expect(ann.avatar).toBe(THUMB);
    const edited = await handlers['personas.save']({ id: ann.id, name: 'Ann', description: 'Mends nets.' });
    expect(edited.avatar).toBe(THUMB);
    await handlers['personas.delete']({ id: ann.id });
    expect(await handlers['personas.list']({})).toEqual([]);
    // Chats and the default persona that followed Ann keep her last text; those chats are announced.
    expect(unfollowed).toEqual(['chats:Ann', 'default:Ann']);
    expect(events).toEqual([
      { type: 'personas-changed' }, { type: 'personas-changed' },
      { type: 'chat-changed', chatKey: 'o#1' }, { type: 'chat-changed', chatKey: 'o#2' }, { type: 'personas-changed' },
    ]);
    await handlers['personas.delete']({ id: ann.id });
    expect(unfollowed).toHaveLength(2);
  });

  it('refuse a file that is not a picture, or one that cannot be decoded, and store nothing', async () => {
    const { handlers, events } = setup(fakeImages(null));
    await expect(handlers['personas.save']({ id: null, name: 'Ann', description: '', avatar: { base64: btoa('just text') } })).rejects.toThrow('not a PNG, JPEG, WebP, GIF or AVIF picture');
    await expect(handlers['personas.save']({ id: null, name: 'Ann', description: '', avatar: { base64: PNG_BYTES } })).rejects.toThrow('could not be read');
    expect(await handlers['personas.list']({})).toEqual([]);
    expect(events).toEqual([]);
  });
});
