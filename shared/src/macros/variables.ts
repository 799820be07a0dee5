import type { MacroVariables } from './types.ts';

/**
 * A variable as SillyTavern's `{{getvar}}` reads it: numeric text comes back as a normalised number
 * (`007` -> `7`), anything else as stored, a missing variable as empty text.
 */
export function readVariable(store: Readonly<MacroVariables>, name: string): string {
  const value = store[name];
  if (value === undefined) return '';
  if (value.trim() === '' || Number.isNaN(Number(value))) return value;
  return String(Number(value));
}

/**
 * `{{addvar}}`: adds numbers, appends to a JSON array, otherwise concatenates text; returns the new value.
 *
 * @example addToVariable({ hp: '10' }, 'hp', '-3') // '7'
 */
export function addToVariable(store: MacroVariables, name: string, value: string): string {
  const current = readVariable(store, name);
  try {
    const parsed: unknown = JSON.parse(current);
    if (Array.isArray(parsed)) {
      parsed.push(value);
      return (store[name] = JSON.stringify(parsed));
    }
  } catch {
    // Not JSON: a number or plain text, handled below.
  }
  const base = current === '' ? 0 : Number(current);
  const increment = Number(value);
  const next = Number.isNaN(base) || Number.isNaN(increment) ? `${current}${value}` : String(base + increment);
  return (store[name] = next);
}
