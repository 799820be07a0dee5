/** Limits of the doc layouts, each with its reason. */

/**
 * Largest part of an asset blob, one part per blob part doc (and relay room). The relay refuses
 * frames over 8 MiB (MAX_FRAME_BYTES in sync-server/src/limits.ts), and a room's first sync sends its
 * whole doc in one frame; 4 MiB of bytes plus Yjs framing fits with room to spare, and keeps one part
 * well under the relay's per-room document limit (64 MiB). Most avatars (0.1-3 MB) travel in one
 * part; a 32 MiB asset (the library's limit) in eight. Part of the blob part layout: readers check a
 * part's length against it, so changing it needs a new BLOB_PART_FORMAT.
 */
export const BLOB_PART_BYTES = 4 * 1024 * 1024;
