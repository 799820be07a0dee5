/**
 * Imports running in the background, readable by id. An import can take minutes (hundreds of cards);
 * the options page starts one, then asks for its progress and new results until it is done. Each of
 * those requests also keeps the extension's service worker awake while the import runs.
 */
import { describeError } from '@troupe/shared/batch';
import { StImportError } from './errors.ts';
import { ST_IMPORT_JOB_KEEP_MS, ST_IMPORT_MAX_KEPT_JOBS, ST_IMPORT_MAX_RUNNING } from '../../messaging/limits/st-import.ts';
import type { StImportItemResult, StImportPhase, StImportStatus } from '../../messaging/st-import-types.ts';

/** What a running import may do to its job. */
export interface StImportJobControl {
  readonly signal: AbortSignal;
  progress(phase: 'downloading' | 'storing', charactersDone: number): void;
  result(result: StImportItemResult): void;
}

interface Job {
  id: string;
  controller: AbortController;
  running: boolean;
  phase: StImportPhase;
  charactersDone: number;
  charactersTotal: number;
  results: StImportItemResult[];
  error: { code: string; message: string } | null;
  finishedAt: number | null;
}

export interface StImportJobsOptions {
  now?: () => number;
  newId?: () => string;
}

/** The background's register of imports: start, read progress, stop. Finished ones are forgotten after a while. */
export class StImportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(options: StImportJobsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /**
   * Starts `run` as a new job over `charactersTotal` characters and returns its id at once. Throws
   * `st-import/busy` while ST_IMPORT_MAX_RUNNING imports run. `run` rejecting ends the job with that error.
   */
  start(charactersTotal: number, run: (control: StImportJobControl) => Promise<void>): string {
    this.prune();
    if ([...this.jobs.values()].filter((job) => job.running).length >= ST_IMPORT_MAX_RUNNING) {
      throw new StImportError('st-import/busy', 'Another import from SillyTavern is still running; wait for it to finish or stop it.');
    }
    const job: Job = {
      id: this.newId(),
      controller: new AbortController(),
      running: true,
      phase: 'downloading',
      charactersDone: 0,
      charactersTotal,
      results: [],
      error: null,
      finishedAt: null,
    };
    this.jobs.set(job.id, job);
    const control: StImportJobControl = {
      signal: job.controller.signal,
      progress: (phase, done) => {
        if (!job.running) return;
        job.phase = phase;
        job.charactersDone = Math.min(done, charactersTotal);
      },
      result: (result) => {
        if (job.running) job.results.push(result);
      },
    };
    const finish = (error: unknown): void => {
      job.running = false;
      job.finishedAt = this.now();
      job.phase = job.controller.signal.aborted ? 'cancelled' : 'done';
      if (error !== undefined) job.error = describeError(error, 'st-import/failed');
    };
    // Started on the next turn so a synchronous throw in `run` still ends as the job's error.
    void Promise.resolve()
      .then(() => run(control))
      .then(() => finish(undefined), (error: unknown) => finish(error));
    return job.id;
  }

  /** Where a job stands, with its results from `resultsFrom` on. Throws `st-import/no-job` for an unknown id. */
  status(jobId: string, resultsFrom = 0): StImportStatus {
    this.prune();
    const job = this.get(jobId);
    return {
      jobId: job.id,
      running: job.running,
      phase: job.phase,
      charactersDone: job.charactersDone,
      charactersTotal: job.charactersTotal,
      results: job.results.slice(Math.max(0, resultsFrom)),
      resultsTotal: job.results.length,
      error: job.error,
    };
  }

  /** Asks a running job to stop after its current step (what is stored stays stored). */
  cancel(jobId: string): StImportStatus {
    const job = this.get(jobId);
    if (job.running) job.controller.abort();
    return this.status(jobId, job.results.length);
  }

  private get(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (job === undefined) {
      throw new StImportError('st-import/no-job', 'This import is no longer known (it ended long ago, or Troupe restarted); what it stored is in your library.');
    }
    return job;
  }

  /** Forgets finished jobs past ST_IMPORT_JOB_KEEP_MS, and the oldest beyond ST_IMPORT_MAX_KEPT_JOBS. */
  private prune(): void {
    const finished = [...this.jobs.values()].filter((job) => job.finishedAt !== null).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    const now = this.now();
    finished.forEach((job, i) => {
      if (now - (job.finishedAt ?? now) > ST_IMPORT_JOB_KEEP_MS || finished.length - i > ST_IMPORT_MAX_KEPT_JOBS) this.jobs.delete(job.id);
    });
  }
}
