/**
 * The platform's WebCrypto (`globalThis.crypto`: browsers, extension workers, Node >= 19), typed as the
 * slice a caller declares (shared/ compiles without DOM or Node typings), or the caller's own error
 * where there is none (an insecure page context).
 */
export function platformCrypto<T>(missing: () => Error): T {
  const found = (globalThis as unknown as { crypto?: { subtle?: unknown; getRandomValues?: unknown } }).crypto;
  if (!found?.subtle || typeof found.getRandomValues !== 'function') throw missing();
  return found as T;
}
