/** Token-counting constants, each with its source. */

/**
 * Tokens OpenAI's chat format adds around every message (`<|start|>role<|message|> ... <|end|>`), per the
 * OpenAI cookbook "How to count tokens with tiktoken" for gpt-3.5-turbo-0613 and later models.
 */
export const TOKENS_PER_MESSAGE = 3;

/** Extra token when a message carries a `name` (same source). */
export const TOKENS_PER_NAME = 1;

/** Every reply is primed with `<|start|>assistant<|message|>` (same source). */
export const REPLY_PRIMING_TOKENS = 3;

/**
 * What an image part costs when we cannot see its size: a 1024x1024 image at high detail (85 base + 4 tiles
 * x 170), OpenAI's documented common case. The true cost depends on the image and its `detail`.
 */
export const IMAGE_PART_TOKENS = 765;

/** Same for `detail: 'low'`, which OpenAI bills at a flat 85 tokens. */
export const LOW_DETAIL_IMAGE_TOKENS = 85;

/**
 * Context size for a model we do not recognise. 8,192 is the smallest window of any current mainstream
 * chat model, so budgets computed from it never overflow a real one.
 */
export const DEFAULT_CONTEXT_SIZE = 8192;
