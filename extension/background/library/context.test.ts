import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportUnlessClosed } from './context.ts';

afterEach(() => { vi.restoreAllMocks(); });

describe('reportUnlessClosed', () => {
  it('logs a failed chore, except that the database was closed under it', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const report = reportUnlessClosed('could not purge deleted items');
    report(Object.assign(new Error('closed'), { name: 'DatabaseClosedError' }));
    expect(log).not.toHaveBeenCalled();
    const failure = new Error('disk full');
    report(failure);
    expect(log).toHaveBeenCalledWith('Troupe: could not purge deleted items', failure);
  });
});
