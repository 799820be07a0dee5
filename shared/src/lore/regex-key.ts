/** What a key string is: plain text, a working `/pattern/flags` regex, or a regex that does not compile. */
export type ParsedKey =
  | { kind: 'plain' }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'bad-regex'; error: string };

const REGEX_KEY = /^\/([\s\S]+?)\/([gimsuy]*)$/;
const UNESCAPED_SLASH = /(^|[^\\])\//;

/**
 * Classifies a lorebook key the way SillyTavern does: `/pattern/flags` with only `gimsuy` flags and every
 * inner `/` escaped is a regex; anything else is plain text. Unlike SillyTavern, a key in regex form that
 * fails to compile is reported (`bad-regex`) instead of silently falling back to a substring match.
 *
 * @example parseKey('/\\bkeeper(s)?\\b/i') // { kind: 'regex', regex: /\bkeeper(s)?\b/i }
 */
export function parseKey(key: string): ParsedKey {
  const match = REGEX_KEY.exec(key);
  if (!match) return { kind: 'plain' };
  const pattern = match[1] ?? '';
  const flags = match[2] ?? '';
  if (UNESCAPED_SLASH.test(pattern)) return { kind: 'plain' };
  try {
    // `\/` is a valid escape in every JS regex mode, so the pattern needs no unescaping.
    return { kind: 'regex', regex: new RegExp(pattern, flags) };
  } catch (error) {
    return { kind: 'bad-regex', error: error instanceof Error ? error.message : String(error) };
  }
}

/** Tests a compiled key regex from the start of the text, as a freshly built regex would (g/y keep state). */
export function regexMatches(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  return regex.test(text);
}
