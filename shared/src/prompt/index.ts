export * from './types.ts';
export * from './defaults.ts';
export * from './limits.ts';
export * from './assemble-types.ts';
export { assemblePrompt } from './assemble.ts';
export { replyReserve } from './budget.ts';
export { parseExampleDialogues, type ExampleSpeakers } from './examples.ts';
export { PromptError, type PromptErrorCode } from './errors.ts';
