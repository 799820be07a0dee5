/** Doing many items at once: a concurrency limit, and each item's failure described by code and message. */
export { describeError } from './describe-error.ts';
export { mapLimit } from './map-limit.ts';
