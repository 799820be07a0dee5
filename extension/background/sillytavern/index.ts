/** The SillyTavern client: import characters and World Info from a user's running SillyTavern, and export to it. */
export { createSillyTavernClient, isPng, normaliseBaseUrl } from './client.ts';
export type { SillyTavernClient, SillyTavernClientOptions, StImported, StProbe } from './client.ts';
export { withCookieJar, parseSetCookie } from './cookie-jar.ts';
export type { CookieJarFetch, FetchLike } from './cookie-jar.ts';
export { SillyTavernError } from './errors.ts';
export type { SillyTavernErrorCode } from './errors.ts';
export { isAvatarFileName, isSafeFileName } from '../../messaging/sillytavern-address.ts';
export type { StCharacterDetail, StCharacterSummary, StWorldEntryJson, StWorldInfoJson, StWorldSummary } from './validate.ts';
export * as stLimits from './limits.ts';
