import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeWhenIdle, OFFSCREEN_SELF_CLOSE_MS } from './idle-close.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Work that runs until the test ends it. */
function heldWork() {
  let finish: () => void = () => {};
  const work = () => new Promise<string>((resolve) => { finish = () => resolve('done'); });
  return { work, finish: () => finish() };
}

describe('closeWhenIdle', () => {
  it('closes a document that never gets a request, once, after the idle time', async () => {
    const close = vi.fn();
    closeWhenIdle(close);
    await vi.advanceTimersByTimeAsync(OFFSCREEN_SELF_CLOSE_MS - 1);
    expect(close).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(close).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(OFFSCREEN_SELF_CLOSE_MS * 3);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('never closes while work runs, however long, and counts the idle time from its end', async () => {
    const close = vi.fn();
    const idle = closeWhenIdle(close, 1_000);
    const held = heldWork();
    const answer = idle.during(held.work);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(close).not.toHaveBeenCalled();
    held.finish();
    await expect(answer).resolves.toBe('done');
    await vi.advanceTimersByTimeAsync(999);
    expect(close).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('a request during the idle time starts it again; overlapping work keeps it open until the last ends', async () => {
    const close = vi.fn();
    const idle = closeWhenIdle(close, 1_000);
    await vi.advanceTimersByTimeAsync(900);
    await idle.during(async () => 'ping');
    await vi.advanceTimersByTimeAsync(900);
    expect(close).not.toHaveBeenCalled();
    const a = heldWork();
    const b = heldWork();
    const first = idle.during(a.work);
    const second = idle.during(b.work);
    a.finish();
    await first;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(close).not.toHaveBeenCalled();
    b.finish();
    await second;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('failed work counts as work done: its error goes to the caller and the timer starts again', async () => {
    const close = vi.fn();
    const idle = closeWhenIdle(close, 1_000);
    await expect(idle.during(async () => { throw new Error('the worker stopped'); })).rejects.toThrow('the worker stopped');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('stays open while busy without a request (a voice playing), and closes a period after it stopped', async () => {
    const close = vi.fn();
    let playing = true;
    closeWhenIdle(close, OFFSCREEN_SELF_CLOSE_MS, () => playing);
    await vi.advanceTimersByTimeAsync(OFFSCREEN_SELF_CLOSE_MS * 3);
    expect(close).not.toHaveBeenCalled();
    playing = false;
    await vi.advanceTimersByTimeAsync(OFFSCREEN_SELF_CLOSE_MS);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('does nothing after dispose', async () => {
    const close = vi.fn();
    const idle = closeWhenIdle(close, 1_000);
    idle.dispose();
    await idle.during(async () => 'late');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(close).not.toHaveBeenCalled();
  });
});
