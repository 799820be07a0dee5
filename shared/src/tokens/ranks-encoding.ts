import { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import type { EncodingName } from './encoding.ts';
import type { EncodingModule } from './tokenizer.ts';

/**
 * Builds an encoding from its rank table (the array gpt-tokenizer ships as `bpeRanks/<name>`), for
 * hosts that load the table as data, e.g. JSON fetched from the extension's own files.
 */
export function encodingFromRanks(encoding: EncodingName, ranks: unknown): EncodingModule {
  return GptEncoding.getEncodingApi(encoding, () => ranks as never);
}
