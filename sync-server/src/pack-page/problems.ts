/**
 * Everything that can stop the page from showing a pack, as one code each: the pack library's own
 * codes (link, format, decryption, card rules), the relay's answers, and the page's own few.
 */
import type { CardErrorCode } from '@troupe/shared/cards';
import type { PackErrorCode, PackRelayErrorCode } from '@troupe/shared/packs';

/** The page's own codes: what neither the pack library nor the relay can report. */
export type PageOwnCode =
  /** fetch() failed: no network, the relay is down, or something in between refused. */
  | 'page/unreachable'
  /** The relay answered, but the download broke off while reading the body. */
  | 'page/download-broken'
  /** The relay answered something that is not a pack or a pack error (a proxy's page, a wrong address). */
  | 'page/unexpected-answer'
  /** The browser lacks WebCrypto, DecompressionStream, Blob or URL.createObjectURL. */
  | 'page/unsupported-browser'
  /** Something failed that none of the above covers: a bug in this page. */
  | 'page/failed';

export type PageProblemCode = PackErrorCode | PackRelayErrorCode | PageOwnCode;

/** Why the page shows no pack: a code, and where it helps, the library's detail. */
export interface PageProblem {
  code: PageProblemCode;
  /** The library's own sentence (kept for the "details" line; may name a byte count or an item). */
  detail?: string;
  /** For a refused card: which item of the pack (`characters[2]`). */
  item?: string;
  /** For a refused card: the card library's reason. */
  cardCode?: CardErrorCode;
  /** For `page/unsupported-browser`: what is missing. */
  missing?: string[];
}
