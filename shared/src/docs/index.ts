export * from './errors.ts';
export * from './character-doc.ts';
