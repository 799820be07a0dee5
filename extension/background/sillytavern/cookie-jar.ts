/**
 * A minimal cookie jar around `fetch` for contexts without one (Node tests, scripts). In the extension's
 * background the browser's own jar applies (`credentials: 'include'`), so this is not used there.
 * It keeps cookies per origin, honours deletion (`Max-Age<=0`, past `Expires`), and ignores other attributes.
 */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface CookieJarFetch extends FetchLike {
  /** The cookies held for an origin (`http://127.0.0.1:8000`), for assertions. */
  cookies(origin: string): Record<string, string>;
}

function requestUrl(input: RequestInfo | URL): URL {
  if (input instanceof URL) return input;
  if (typeof input === 'string') return new URL(input);
  return new URL(input.url);
}

/** `name=value; Attr=…` -> the change it makes to the jar, or null for a malformed header. */
export function parseSetCookie(header: string, now = Date.now()): { name: string; value: string; remove: boolean } | null {
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (name === '') return null;
  let remove = false;
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const attr = key.trim().toLowerCase();
    const attrValue = rest.join('=').trim();
    if (attr === 'max-age' && Number(attrValue) <= 0) remove = true;
    if (attr === 'expires') {
      const when = Date.parse(attrValue);
      if (Number.isFinite(when) && when <= now) remove = true;
    }
  }
  return { name, value, remove };
}

/** Wraps `fetch` so cookies a server sets are sent back to the same origin, like a browser would. */
export function withCookieJar(inner: FetchLike): CookieJarFetch {
  const jar = new Map<string, Map<string, string>>();
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const origin = requestUrl(input).origin;
    const stored = jar.get(origin);
    let nextInit = init;
    if (stored !== undefined && stored.size > 0) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      const ours = [...stored].map(([name, value]) => `${name}=${value}`).join('; ');
      const theirs = headers.get('cookie');
      headers.set('cookie', theirs ? `${theirs}; ${ours}` : ours);
      nextInit = { ...init, headers };
    }
    const res = await inner(input, nextInit);
    const setCookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
    for (const header of setCookies) {
      const change = parseSetCookie(header);
      if (change === null) continue;
      const cookies = jar.get(origin) ?? new Map<string, string>();
      if (change.remove) cookies.delete(change.name);
      else cookies.set(change.name, change.value);
      jar.set(origin, cookies);
    }
    return res;
  };
  return Object.assign(wrapped, {
    cookies: (origin: string): Record<string, string> => Object.fromEntries(jar.get(new URL(origin).origin) ?? []),
  });
}
