// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.ts';
import { ST_MAX_TAGS, ST_MAX_WORLD_ENTRIES } from './limits.ts';
import { isAvatarFileName, isSafeFileName } from '../../messaging/sillytavern-address.ts';
import { readCharacterSummary, readCsrfToken, readImportResult, readVersion, readWorld } from './validate.ts';

describe('file names', () => {
  it.each(['default_Seraphina.png', 'Troupe Test Aria.png', 'Ünïcode 名前.PNG'])('accepts %s as a character file', (name) => {
    expect(isAvatarFileName(name)).toBe(true);
  });

  it.each(['', '.', '..', '../x.png', 'a/b.png', 'a\\b.png', 'nul\u0000.png', 'card.json', 'x'.repeat(300) + '.png', 42])('refuses %j', (name) => {
    expect(isAvatarFileName(name)).toBe(false);
  });

  it('accepts world names without an extension', () => {
    expect(isSafeFileName('Eldoria')).toBe(true);
    expect(isSafeFileName('a/..')).toBe(false);
  });
});

describe('readCharacterSummary', () => {
  it('bounds tags and keeps the first ST_MAX_TAGS distinct ones', () => {
    const tags = Array.from({ length: ST_MAX_TAGS + 50 }, (_, i) => `tag${i % (ST_MAX_TAGS + 10)}`);
    const summary = readCharacterSummary({ name: 'A', avatar: 'a.png', data: { tags } });
    expect(summary?.tags).toHaveLength(ST_MAX_TAGS);
    expect(summary?.tags[0]).toBe('tag0');
  });

  it('falls back to data.name, reads a numeric spec_version, and drops a blank creator', () => {
    expect(readCharacterSummary({ avatar: 'a.png', spec: 'chara_card_v2', spec_version: 2, data: { name: ' Ann ', creator: '  ' } })).toEqual({
      avatar: 'a.png',
      name: 'Ann',
      tags: [],
      spec: 'chara_card_v2',
      specVersion: '2',
    });
  });

  it('gives null for entries without a name or a .png file name', () => {
    expect(readCharacterSummary({ avatar: 'a.png' })).toBeNull();
    expect(readCharacterSummary({ name: 'A', avatar: 'a.webp' })).toBeNull();
    expect(readCharacterSummary(['A', 'a.png'])).toBeNull();
  });
});

describe('small answers', () => {
  it('reads a CSRF token only when it is header-safe', () => {
    expect(readCsrfToken({ token: 'a'.repeat(64) })).toBe('a'.repeat(64));
    expect(readCsrfToken({ token: 'disabled' })).toBe('disabled');
    expect(() => readCsrfToken({ token: 'x\r\nSet-Cookie: y' })).toThrow(ShapeError);
    expect(() => readCsrfToken('token')).toThrow(ShapeError);
  });

  it('reads a version and ignores junk in it', () => {
    expect(readVersion({ pkgVersion: '1.19.0', agent: 'SillyTavern:1.19.0:Cohee#1207' })).toEqual({ version: '1.19.0', agent: 'SillyTavern:1.19.0:Cohee#1207' });
    expect(readVersion({ pkgVersion: '<script>' })).toEqual({ version: null, agent: null });
  });

  it('reads an import result', () => {
    expect(readImportResult({ file_name: 'Aria' })).toEqual({ ok: true, fileName: 'Aria' });
    expect(readImportResult({ error: true })).toEqual({ ok: false });
    expect(() => readImportResult({ file_name: '../../x' })).toThrow(ShapeError);
  });
});

describe('readWorld', () => {
  it('keeps every top-level field and entry as sent', () => {
    const world = { name: 'Eldoria', extensions: { x: 1 }, entries: { 0: { uid: 0, content: 'c' } } };
    expect(readWorld(world)).toEqual(world);
  });

  it('refuses more than ST_MAX_WORLD_ENTRIES entries', () => {
    const entries = Object.fromEntries(Array.from({ length: ST_MAX_WORLD_ENTRIES + 1 }, (_, i) => [String(i), { uid: i }]));
    expect(() => readWorld({ entries })).toThrow(/entries/);
  });

  it('refuses entries given as a list', () => {
    expect(() => readWorld({ entries: [{ uid: 0 }] })).toThrow(ShapeError);
  });
});
