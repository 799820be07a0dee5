export { routeChatRequest, PROVIDER_NAMES, type ChatRoute, type ProviderId, type WireFormat } from './route.ts';
export { jsonReplyReader, type ReplyTextReader, type WireCodec } from './codec.ts';
export { classifyTurn, isAcceptableRewrite, nextChatSystemPrefix, type ChatRequestKind } from './classify.ts';
export { isChatCompletionBody, openaiCodec } from './openai.ts';
export { anthropicCodec } from './anthropic.ts';
export { geminiCodec } from './gemini.ts';
export { layoutTurns } from './merge.ts';

import type { WireCodec } from './codec.ts';
import type { WireFormat } from './route.ts';
import { anthropicCodec } from './anthropic.ts';
import { geminiCodec } from './gemini.ts';
import { openaiCodec } from './openai.ts';

const CODECS: Readonly<Record<WireFormat, WireCodec>> = { openai: openaiCodec, anthropic: anthropicCodec, gemini: geminiCodec };

/** The codec of a wire format. */
export function codecFor(format: WireFormat): WireCodec {
  return CODECS[format];
}

/** True for a string naming a format Troupe speaks (validators use it on messages). */
export function isWireFormat(value: unknown): value is WireFormat {
  return value === 'openai' || value === 'anthropic' || value === 'gemini';
}
