import type * as Y from 'yjs';
import type { JsonObject, JsonValue } from '../cards/index.ts';
import { DocError } from './errors.ts';

/**
 * Copies a JSON object into a Y.Map, one key per field, so two devices editing different fields
 * merge (within one field the last writer wins). Each value is stored as its JSON text: Yjs's own
 * object encoding assigns keys with `obj[key] = v`, which would turn a card's `__proto__` key into
 * a prototype; JSON.parse keeps it as plain data. Keys absent from `value` are deleted; unchanged
 * values are not rewritten, so storing the same card again sends nothing.
 */
export function writeJsonMap(map: Y.Map<unknown>, value: JsonObject): void {
  for (const key of [...map.keys()]) if (value[key] === undefined || !Object.hasOwn(value, key)) map.delete(key);
  for (const key of Object.keys(value)) {
    const field = value[key];
    if (field !== undefined) setJsonField(map, key, field);
  }
}

/** Sets one field (as JSON text) unless it already holds that value. */
export function setJsonField(map: Y.Map<unknown>, key: string, field: JsonValue): void {
  const text = JSON.stringify(field);
  if (map.get(key) !== text) map.set(key, text);
}

/** Reads a Y.Map written by writeJsonMap back into a fresh plain object. */
export function readJsonMap(map: Y.Map<unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, text] of map.entries()) {
    Object.defineProperty(out, key, { value: parseField(key, text), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Reads one field written by setJsonField. */
export function getJsonField(map: Y.Map<unknown>, key: string): JsonValue | undefined {
  const text = map.get(key);
  return text === undefined ? undefined : parseField(key, text);
}

function parseField(key: string, text: unknown): JsonValue {
  if (typeof text === 'string') {
    try { return JSON.parse(text) as JsonValue; } catch { /* reported below */ }
  }
  throw new DocError('doc/invalid-field', `Field "${key}" is damaged in this document.`);
}
