// Tests count tokens with the tables shipped in gpt-tokenizer (the extension fetches them as files).
import { useBundledEncodings } from './tokens/bundled-encodings.ts';

useBundledEncodings();
