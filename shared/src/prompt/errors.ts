/** Ways a prompt build can be refused. Bad card or lorebook data never throws: it becomes a warning. */
export type PromptErrorCode =
  /** The context size is not a positive finite number of tokens. */
  | 'prompt/bad-context-size'
  /** The request body has no messages to build on. */
  | 'prompt/empty-body';

/** A caller error in prompt assembly: a stable `code` for programs, a readable `message` for people. */
export class PromptError extends Error {
  override readonly name = 'PromptError';

  constructor(
    readonly code: PromptErrorCode,
    message: string,
  ) {
    super(message);
  }
}
