/** Importing characters and their World Info from a user's running SillyTavern into Troupe's library. */
export { originPattern, parseStAddress } from '../../messaging/sillytavern-address.ts';
export { StImportError } from './errors.ts';
export type { StImportErrorCode } from './errors.ts';
export { StImportJobs } from './jobs.ts';
export type { StImportJobControl } from './jobs.ts';
export { linkedWorldName } from './linked-world.ts';
export { runStImport } from './run-import.ts';
export type { RunStImportOptions, StImportProgress } from './run-import.ts';
export { createStImportService } from './service.ts';
export type { StImportService, StImportServiceDeps } from './service.ts';
export { fetchThumbnails } from './thumbnails.ts';
export * as stImportLimits from '../../messaging/limits/st-import.ts';
export type * from '../../messaging/st-import-types.ts';
