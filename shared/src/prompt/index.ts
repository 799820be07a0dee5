export * from './types.ts';
export * from './character-prompt.ts';
export * from './apply-character.ts';
