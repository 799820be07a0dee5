/**
 * Which sites Troupe runs on. The manifest covers self-hosted NextChat on localhost and 127.0.0.1;
 * any other origin is granted by the user at run time (optional host permission) and gets the same
 * two content scripts registered dynamically.
 */
export const DEFAULT_MATCHES = ['http://localhost/*', 'http://127.0.0.1/*'] as const;

/** Built content scripts (WXT output paths) that every enabled origin gets. */
export const CONTENT_SCRIPT_FILES = { isolated: 'content-scripts/nextchat.js', main: 'content-scripts/nextchat-main.js' } as const;

/** Built content script of the sync relay's pack link page (registered at run time, see background/packs). */
export const PACK_LINK_SCRIPT_FILE = 'content-scripts/pack-link.js';

export class OriginError extends Error {
  readonly code = 'origin/invalid';
  constructor(message: string) {
    super(message);
    this.name = 'OriginError';
  }
}

/**
 * Turns what a user typed ("chat.example.com", "https://chat.example.com/#/chat") into a match
 * pattern for that origin ("https://chat.example.com/*"). Throws OriginError with a reason otherwise.
 */
export function originToMatchPattern(input: string): string {
  const trimmed = input.trim();
  if (trimmed.length === 0) throw new OriginError('Enter the address of your NextChat, e.g. https://chat.example.com');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    throw new OriginError(`"${trimmed}" is not a web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OriginError(`Only http and https sites can be enabled, not ${url.protocol}`);
  if (url.hostname.length === 0 || url.hostname.includes('*')) throw new OriginError(`"${trimmed}" has no usable host name.`);
  // Match patterns ignore ports (FACTS.md): http://host/* covers every port of that host.
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * The sites that get the overlay beyond the defaults: those the user enabled (`enabled`) and Chrome
 * still grants (`granted`; the user can revoke a site in Chrome's own settings). Sorted, unique.
 */
export function extraMatchPatterns(enabled: readonly string[], granted: readonly string[]): string[] {
  const defaults = new Set<string>(DEFAULT_MATCHES);
  const allowed = new Set(granted);
  return [...new Set(enabled.filter((p) => /^https?:\/\/[^/*]+\/\*$/.test(p) && !defaults.has(p) && allowed.has(p)))].sort();
}
