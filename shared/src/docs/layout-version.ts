import { DocError } from './errors.ts';

/**
 * How one layout stores its version, so that every doc here is checked the same way: a doc from a
 * newer Troupe is refused with DocError('doc/too-new') instead of being misread, and a doc written
 * before its layout stored a version is read as the version it was.
 */
export interface LayoutVersion {
  /** What the doc is called in messages ("The library index"). */
  readonly name: string;
  /** The version this build writes and reads. */
  readonly current: number;
  /** The version of a doc that stores none (written before versions were stored); omitted when every doc has one. */
  readonly unversioned?: number;
}

/**
 * The version a doc of `layout` was written in. Throws DocError('doc/too-new') for a newer one and
 * DocError('doc/invalid-field') when the stored value is no version at all.
 * @example checkLayoutVersion(INDEX_LAYOUT, doc.getMap('meta').get('format'))
 */
export function checkLayoutVersion(layout: LayoutVersion, stored: unknown): number {
  if (stored === undefined && layout.unversioned !== undefined) return layout.unversioned;
  if (typeof stored !== 'number' || !Number.isSafeInteger(stored) || stored < 1) {
    throw new DocError('doc/invalid-field', `${layout.name} has no readable layout version.`);
  }
  if (stored > layout.current) {
    throw new DocError('doc/too-new', `${layout.name} was saved by a newer Troupe (layout ${stored}); update the extension to read it.`);
  }
  return stored;
}

/** True when `stored` is a version this build reads (for readers that skip what they cannot read). */
export function isReadableVersion(layout: LayoutVersion, stored: unknown): boolean {
  try {
    checkLayoutVersion(layout, stored);
    return true;
  } catch (error) {
    if (error instanceof DocError) return false;
    throw error;
  }
}
