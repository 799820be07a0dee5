export * from './limits.ts';
export { encodingFor, FALLBACK_ENCODING, MODEL_ENCODINGS } from './encoding.ts';
export type { EncodingName } from './encoding.ts';
export { contextSizeFor, MODEL_CONTEXT_SIZES } from './context-size.ts';
export { normalizeModel } from './model-name.ts';
export { countChatTokens, countTokens, loadedTokenizerFor, setEncodingLoader, tokenizerFor } from './tokenizer.ts';
export type { EncodingLoader, EncodingModule } from './tokenizer.ts';
export { encodingFromRanks } from './ranks-encoding.ts';
export type { TokenChatMessage, TokenContentPart, Tokenizer } from './tokenizer.ts';
