import { MAX_FILE_STEM_CHARS } from './limits.ts';

/**
 * A file name for a downloaded card or lorebook: its name made safe for every file system (no path
 * separators, reserved or control characters, no leading or trailing dots and spaces, at most
 * MAX_FILE_STEM_CHARS characters), then `.ext`. A name that leaves nothing becomes `fallback`.
 *
 * @example fileNameFor('Aria: "Night/Day"?', 'png') // 'Aria Night Day.png'
 */
export function fileNameFor(name: string, ext: 'png' | 'charx' | 'json', fallback = 'character'): string {
  const cleaned = name
    // Controls (C0, DEL, C1) and the bidirectional overrides that can make "gnp.exe" read as "exe.png".
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const stem = Array.from(cleaned).slice(0, MAX_FILE_STEM_CHARS).join('').replace(/[\s.]+$/, '');
  return `${stem === '' ? fallback : stem}.${ext}`;
}
