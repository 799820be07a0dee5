import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { personaStore, savedPersonasItem } from './persona-store.ts';

afterEach(() => fakeBrowser.reset());

describe('personaStore', () => {
  it('lands saves sent at once (two tabs) instead of the second overwriting the first', async () => {
    let id = 0;
    const store = personaStore(() => 10, () => `p${++id}`);
    const [ann, bo] = await Promise.all([
      store.save({ id: null, name: 'Ann', description: '' }),
      store.save({ id: null, name: 'Bo', description: '' }),
    ]);
    expect((await store.list()).map((p) => p.name)).toEqual(['Ann', 'Bo']);
    await Promise.all([store.remove(ann.id), store.save({ id: bo.id, name: 'Bo', description: 'Bakes bread.' })]);
    expect(await store.list()).toEqual([{ id: bo.id, name: 'Bo', description: 'Bakes bread.', avatar: null, updatedAt: 10 }]);
    expect((await savedPersonasItem.getValue()).format).toBe(1);
  });

  it('keeps working after a refused save', async () => {
    const store = personaStore();
    await expect(store.save({ id: 'missing', name: 'X', description: '' })).rejects.toThrow('deleted meanwhile');
    await expect(store.save({ id: null, name: 'Ann', description: '' })).resolves.toMatchObject({ name: 'Ann' });
  });
});
