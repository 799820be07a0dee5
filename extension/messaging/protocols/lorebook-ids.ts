import { MAX_BOUND_LOREBOOKS, MAX_LOREBOOK_ID } from '../limits/prompt.ts';
import { MessageError, string } from '../validate.ts';

/**
 * A list of library lorebook ids from an untrusted message: an array of non-empty ids, each listed once,
 * at most MAX_BOUND_LOREBOOKS. Whether each book exists is the handler's business (it drops gone ones).
 */
export function lorebookIdList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new MessageError(`${field} must be a list of lorebook ids`);
  if (value.length > MAX_BOUND_LOREBOOKS) throw new MessageError(`${field} may list at most ${MAX_BOUND_LOREBOOKS} lorebooks`);
  const ids = value.map((v, i) => string(v, `${field}[${i}]`, MAX_LOREBOOK_ID, { min: 1 }));
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw new MessageError(`${field} lists the lorebook ${repeated} twice`);
  return ids;
}
