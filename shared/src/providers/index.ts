export { routeChatRequest, PROVIDER_NAMES, type ChatRoute, type ProviderId, type WireFormat } from './route.ts';
export { jsonReplyReader, type ReplyTextReader, type WireCodec } from './codec.ts';
export { classifyTurn, isAcceptableRewrite, nextChatSystemPrefix, type ChatRequestKind } from './classify.ts';
export { isChatCompletionBody, openaiCodec } from './openai.ts';
export { anthropicCodec } from './anthropic.ts';
export { geminiCodec } from './gemini.ts';
export { layoutTurns } from './merge.ts';

export { codecFor, isWireFormat } from './codec-registry.ts';
export { providerNameOf, readChatTurn, writeChatTurn, type ChatTurn } from './turn.ts';
