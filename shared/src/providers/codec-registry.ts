/** Which codec reads and writes each wire format. */
import type { WireCodec } from './codec.ts';
import type { WireFormat } from './route.ts';
import { anthropicCodec } from './anthropic.ts';
import { geminiCodec } from './gemini.ts';
import { openaiCodec } from './openai.ts';

export type { WireCodec };

const CODECS: Readonly<Record<WireFormat, WireCodec>> = { openai: openaiCodec, anthropic: anthropicCodec, gemini: geminiCodec };

/** The codec of a wire format. */
export function codecFor(format: WireFormat): WireCodec {
  return CODECS[format];
}

/** True for a string naming a format Troupe speaks (validators use it on messages). */
export function isWireFormat(value: unknown): value is WireFormat {
  return value === 'openai' || value === 'anthropic' || value === 'gemini';
}
