import { describe, expect, it } from 'vitest';
import { StImportError } from './errors.ts';
import { StImportJobs, type StImportJobControl } from './jobs.ts';
import { ST_IMPORT_JOB_KEEP_MS, ST_IMPORT_MAX_KEPT_JOBS } from '../../messaging/limits/st-import.ts';
import type { StImportItemResult } from '../../messaging/st-import-types.ts';

/** A job body the test drives by hand: it runs until `finish` or `fail` is called. */
function manualRun() {
  let control: StImportJobControl | undefined;
  let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const run = (c: StImportJobControl): Promise<void> => {
    control = c;
    ready();
    return new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  };
  return {
    run,
    started,
    control: (): StImportJobControl => {
      if (control === undefined) throw new Error('the job has not started');
      return control;
    },
    finish: () => settle?.resolve(),
  };
}

const ok = (label: string): StImportItemResult => ({ kind: 'character', label, source: `${label}.png`, ok: true, id: label, name: label, linkedLorebook: null, warnings: 0 });

/** Waits until the job reports it is no longer running. */
async function ended(jobs: StImportJobs, id: string) {
  for (;;) {
    const status = jobs.status(id);
    if (!status.running) return status;
    await new Promise((r) => setTimeout(r, 0));
  }
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof StImportError) return error.code;
    throw error;
  }
  throw new Error('expected an StImportError');
}

describe('StImportJobs', () => {
  it('reports progress and hands out results from an offset', async () => {
    const jobs = new StImportJobs({ newId: () => 'job-1' });
    const body = manualRun();
    const id = jobs.start(3, body.run);
    expect(id).toBe('job-1');
    await body.started;
    body.control().progress('downloading', 1);
    body.control().result(ok('a'));
    body.control().result(ok('b'));
    expect(jobs.status(id, 0)).toMatchObject({ running: true, phase: 'downloading', charactersDone: 1, charactersTotal: 3, resultsTotal: 2 });
    expect(jobs.status(id, 1).results.map((r) => r.label)).toEqual(['b']);
    body.finish();
    expect(await ended(jobs, id)).toMatchObject({ running: false, phase: 'done', error: null, resultsTotal: 2 });
  });

  it('ends a job whose body throws with that error', async () => {
    const jobs = new StImportJobs();
    const id = jobs.start(1, async () => {
      throw new StImportError('st-import/permission', 'not allowed');
    });
    expect(await ended(jobs, id)).toMatchObject({ phase: 'done', error: { code: 'st-import/permission', message: 'not allowed' } });
  });

  it('runs one import at a time', async () => {
    const jobs = new StImportJobs();
    const body = manualRun();
    const id = jobs.start(1, body.run);
    expect(codeOf(() => jobs.start(1, async () => undefined))).toBe('st-import/busy');
    await body.started;
    body.finish();
    await ended(jobs, id);
    expect(typeof jobs.start(1, async () => undefined)).toBe('string');
  });

  it('cancels through the signal and ignores what the body reports afterwards', async () => {
    const jobs = new StImportJobs();
    const body = manualRun();
    const id = jobs.start(2, body.run);
    await body.started;
    jobs.cancel(id);
    expect(body.control().signal.aborted).toBe(true);
    body.finish();
    expect(await ended(jobs, id)).toMatchObject({ phase: 'cancelled' });
    body.control().result(ok('late'));
    expect(jobs.status(id).resultsTotal).toBe(0);
  });

  it('forgets finished jobs after the keep time, and the oldest beyond the cap', async () => {
    let now = 1_000;
    let n = 0;
    const jobs = new StImportJobs({ now: () => now, newId: () => `j${++n}` });
    const ids: string[] = [];
    for (let i = 0; i <= ST_IMPORT_MAX_KEPT_JOBS; i++) {
      const id = jobs.start(0, async () => undefined);
      await ended(jobs, id);
      ids.push(id);
      now += 1;
    }
    expect(codeOf(() => jobs.status(ids[0] ?? ''))).toBe('st-import/no-job');
    expect(jobs.status(ids.at(-1) ?? '').phase).toBe('done');
    now += ST_IMPORT_JOB_KEEP_MS + 1;
    expect(codeOf(() => jobs.status(ids.at(-1) ?? ''))).toBe('st-import/no-job');
    expect(codeOf(() => jobs.cancel('nope'))).toBe('st-import/no-job');
  });
});
