export * from './errors.ts';
export * from './character-doc.ts';
export * from './lorebook-doc.ts';
