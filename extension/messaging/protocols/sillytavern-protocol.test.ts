import { describe, expect, it } from 'vitest';
import { ST_IMPORT_MAX_CHARACTERS, ST_THUMBNAILS_PER_REQUEST } from '../limits/st-import.ts';
import { MessageError } from '../validate.ts';
import { SILLYTAVERN_VALIDATORS as V } from './sillytavern-protocol.ts';

const URL_ = 'http://127.0.0.1:8000';

describe('SillyTavern runtime validators', () => {
  it('accept well-formed requests and return only the known fields', () => {
    expect(V['sillytavern.connect']({ url: URL_, extra: 1 })).toEqual({ url: URL_ });
    expect(V['sillytavern.thumbnails']({ url: URL_, avatars: ['a.png', 'B b.PNG'] })).toEqual({ url: URL_, avatars: ['a.png', 'B b.PNG'] });
    expect(V['sillytavern.import']({ url: URL_, characters: [{ avatar: 'a.png', name: 'Ann', more: true }] })).toEqual({ url: URL_, characters: [{ avatar: 'a.png', name: 'Ann' }] });
    expect(V['sillytavern.importStatus']({ jobId: 'j1', resultsFrom: 3 })).toEqual({ jobId: 'j1', resultsFrom: 3 });
    expect(V['sillytavern.cancelImport']({ jobId: 'j1' })).toEqual({ jobId: 'j1' });
  });

  it.each([
    ['connect without url', () => V['sillytavern.connect']({})],
    ['connect with a huge url', () => V['sillytavern.connect']({ url: 'h'.repeat(5_000) })],
    ['thumbnails of a path', () => V['sillytavern.thumbnails']({ url: URL_, avatars: ['../config.yaml'] })],
    ['thumbnails of nothing', () => V['sillytavern.thumbnails']({ url: URL_, avatars: [] })],
    ['too many thumbnails', () => V['sillytavern.thumbnails']({ url: URL_, avatars: Array.from({ length: ST_THUMBNAILS_PER_REQUEST + 1 }, (_, i) => `${i}.png`) })],
    ['import of a non-card file', () => V['sillytavern.import']({ url: URL_, characters: [{ avatar: 'a.json', name: 'A' }] })],
    ['import without a name', () => V['sillytavern.import']({ url: URL_, characters: [{ avatar: 'a.png', name: '' }] })],
    ['import of too many', () => V['sillytavern.import']({ url: URL_, characters: Array.from({ length: ST_IMPORT_MAX_CHARACTERS + 1 }, (_, i) => ({ avatar: `${i}.png`, name: 'x' })) })],
    ['import with characters not a list', () => V['sillytavern.import']({ url: URL_, characters: { avatar: 'a.png' } })],
    ['status from a negative offset', () => V['sillytavern.importStatus']({ jobId: 'j', resultsFrom: -1 })],
    ['status from a fraction', () => V['sillytavern.importStatus']({ jobId: 'j', resultsFrom: 1.5 })],
    ['cancel without a job', () => V['sillytavern.cancelImport']({ jobId: '' })],
    ['a payload that is not an object', () => V['sillytavern.connect']('http://x')],
  ])('refuse %s', (_what, call) => {
    expect(call).toThrow(MessageError);
  });
});
