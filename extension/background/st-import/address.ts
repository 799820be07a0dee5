/** The SillyTavern address a user types, and the host permission that lets Troupe reach it. */
import { normaliseBaseUrl, SillyTavernError } from '../sillytavern/index.ts';

/**
 * What the user typed as a SillyTavern base URL. Without a scheme `http://` is assumed (SillyTavern
 * serves plain http on the user's own machine by default). Throws SillyTavernError `st/bad-url`.
 * @example parseStAddress('127.0.0.1:8000/') // 'http://127.0.0.1:8000'
 */
export function parseStAddress(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw new SillyTavernError('st/bad-url', 'Enter the address of your SillyTavern, e.g. http://127.0.0.1:8000');
  return normaliseBaseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
}

/**
 * The match pattern of the optional host permission that covers a SillyTavern base URL. Patterns
 * ignore ports, so `http://127.0.0.1:8000` needs `http://127.0.0.1/*`.
 */
export function originPattern(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
