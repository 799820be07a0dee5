/**
 * The Authorization header of a chat request the page made, handed to the isolated world with the
 * rewrite question so the chat's own model can write its summaries. Only the page's own request is
 * read here (nothing of Troupe's), so no captured built-in is needed; the isolated world checks the
 * value and decides whether it goes any further.
 */

const NAME = 'authorization';

/**
 * The Authorization header in `headers` as fetch's `init.headers` takes it (NextChat passes a plain
 * object; a Headers or a list of pairs come from other callers), or null when there is none or it
 * cannot be read (a getter that throws).
 *
 * @example authorizationOf({ 'Content-Type': 'application/json', Authorization: 'Bearer nk-code' }) // 'Bearer nk-code'
 */
export function authorizationOf(headers: HeadersInit | undefined): string | null {
  try {
    if (headers === undefined || headers === null || typeof headers !== 'object') return null;
    if (Array.isArray(headers)) {
      const pair = headers.find((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].toLowerCase() === NAME);
      return typeof pair?.[1] === 'string' ? pair[1] : null;
    }
    if (typeof (headers as Headers).get === 'function') {
      const value: unknown = (headers as Headers).get(NAME);
      return typeof value === 'string' ? value : null;
    }
    const record = headers as Record<string, unknown>;
    const key = Object.keys(record).find((name) => name.toLowerCase() === NAME);
    const value = key === undefined ? undefined : record[key];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
