import { storage } from '#imports';

/**
 * Debug switches, off by default and never shown in the UI. `breakInterceptor` makes the content
 * script answer rewrites with a broken body, so tests (and a curious user) can watch Troupe fail open.
 */
export const breakInterceptorSetting = storage.defineItem<boolean>('local:debug.breakInterceptor', { fallback: false, version: 1 });

/** Overrides how long the content script looks for NextChat's landmarks (tests shorten the wait). */
export const detectTimeoutSetting = storage.defineItem<number | null>('local:debug.detectTimeoutMs', { fallback: null, version: 1 });
