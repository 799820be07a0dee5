/**
 * The WHATWG URL parser, which every context Troupe runs in has (browsers, extension workers, Node),
 * typed here because shared/ compiles without DOM or Node typings.
 */
export interface ParsedUrl {
  readonly origin: string;
  readonly pathname: string;
  readonly searchParams: { get(name: string): string | null };
}

const NativeUrl = (globalThis as unknown as { URL: new (url: string, base?: string) => ParsedUrl }).URL;

/** `url` resolved against `base`; null when either does not parse. */
export function parseUrl(url: string, base?: string): ParsedUrl | null {
  try {
    return new NativeUrl(url, base);
  } catch {
    return null;
  }
}
