import { storage } from '#imports';
import { EMPTY_PERSONA_LIST, readSavedPersonas, withoutPersona, withSavedPersona, type PersonaInput, type SavedPersonaList } from './saved-personas.ts';
import type { SavedPersona } from '../../messaging/personas.ts';
import { writeSetting } from '../changes/settings-writes.ts';

/** The saved personas, in extension storage (small, read on every panel open, never synced). */
export const savedPersonasItem = storage.defineItem<SavedPersonaList>('local:personas.saved', { fallback: EMPTY_PERSONA_LIST, version: 1 });

/**
 * The background's access to the saved personas. Writes run one after another, so two saves sent
 * at once (two tabs) both land instead of the second overwriting the first.
 */
export function personaStore(now: () => number = () => Date.now(), newId: () => string = () => crypto.randomUUID()) {
  let writes: Promise<unknown> = Promise.resolve();
  const write = <T>(change: (list: SavedPersona[]) => { personas: SavedPersona[]; result: T } | Promise<{ personas: SavedPersona[]; result: T }>): Promise<T> => {
    const run = writes.then(async () => {
      const { personas, result } = await change(readSavedPersonas(await savedPersonasItem.getValue()));
      await writeSetting(savedPersonasItem, { format: 1, personas });
      return result;
    });
    writes = run.catch(() => {});
    return run;
  };
  return {
    async list(): Promise<SavedPersona[]> {
      return readSavedPersonas(await savedPersonasItem.getValue());
    },
    save(input: PersonaInput): Promise<SavedPersona> {
      return write((list) => {
        const { personas, saved } = withSavedPersona(list, input, now(), newId);
        return { personas, result: saved };
      });
    },
    /**
     * Deletes persona `id`; `before` runs first with the persona as it is now, inside the same queue, so
     * no save from another tab lands in between (if `before` fails, nothing is deleted).
     */
    remove(id: string, before?: (persona: SavedPersona) => Promise<void>): Promise<void> {
      return write(async (list) => {
        const persona = list.find((p) => p.id === id);
        if (persona && before) await before(persona);
        return { personas: withoutPersona(list, id), result: undefined };
      });
    },
  };
}

export type PersonaStore = ReturnType<typeof personaStore>;
