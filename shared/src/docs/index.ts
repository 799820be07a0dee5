export * from './errors.ts';
export * from './layout-version.ts';
export * from './character-doc.ts';
export * from './lorebook-doc.ts';
export * from './index-doc.ts';
export * from './asset-manifest.ts';
export * from './blob-parts.ts';
export * from './limits.ts';
