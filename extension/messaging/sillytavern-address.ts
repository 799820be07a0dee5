/**
 * What a SillyTavern address and file name may be: checked by the options page before it asks for a
 * host permission, by the runtime validators, and by the background's client before any request.
 */

/** Character file names (`avatar`) and world names: SillyTavern sanitises names to file names; 255 is a file name's limit. */
export const ST_MAX_FILE_NAME = 255;

/** An address that is not one a SillyTavern can have; `code` is the client's `st/bad-url`. */
export class StAddressError extends Error {
  readonly code = 'st/bad-url';
  constructor(message: string) {
    super(message);
    this.name = 'StAddressError';
  }
}

/**
 * A SillyTavern base URL as the client uses it: http(s), no credentials, query or fragment, no
 * trailing slash. Throws StAddressError.
 * @example normaliseBaseUrl(' http://127.0.0.1:8000/ ') // 'http://127.0.0.1:8000'
 */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new StAddressError(`"${raw}" is not an address (expected something like http://127.0.0.1:8000).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StAddressError(`"${raw}" is not an http(s) address.`);
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new StAddressError(`"${raw}" must not carry a user name, password, query or fragment.`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * What the user typed as a SillyTavern base URL. Without a scheme `http://` is assumed (SillyTavern
 * serves plain http on the user's own machine by default). Throws StAddressError.
 * @example parseStAddress('127.0.0.1:8000/') // 'http://127.0.0.1:8000'
 */
export function parseStAddress(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw new StAddressError('Enter the address of your SillyTavern, e.g. http://127.0.0.1:8000');
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

/**
 * A plain file name SillyTavern could have written: no folders, no `..`, no control characters.
 * Character and world names go into URLs and request bodies, so anything else is refused.
 */
export function isSafeFileName(name: unknown): name is string {
  return typeof name === 'string'
    && name.length > 0
    && name.length <= ST_MAX_FILE_NAME
    && name !== '.'
    && name !== '..'
    && !/[/\\\u0000-\u001f\u007f]/.test(name);
}

/** A character file name: a safe file name ending in `.png` (SillyTavern stores every card as a PNG). */
export function isAvatarFileName(name: unknown): name is string {
  return isSafeFileName(name) && /\.png$/i.test(name);
}
