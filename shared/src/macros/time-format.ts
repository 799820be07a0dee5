/** Date formats of SillyTavern's time macros (moment.js, English locale), without moment. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number) => String(n).padStart(2, '0');

/** moment `LT`: `3:05 PM`. */
export function formatTime(date: Date): string {
  const hours = date.getHours();
  return `${hours % 12 === 0 ? 12 : hours % 12}:${pad(date.getMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** `LT` for a UTC offset in hours (`{{time_UTC+2}}`), independent of the runtime's time zone. */
export function formatTimeAtOffset(date: Date, offsetHours: number): string {
  const shifted = new Date(date.getTime() + offsetHours * 3_600_000);
  const hours = shifted.getUTCHours();
  return `${hours % 12 === 0 ? 12 : hours % 12}:${pad(shifted.getUTCMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** moment `LL`: `November 3, 2026`. */
export function formatDate(date: Date): string {
  return `${MONTHS[date.getMonth()] ?? ''} ${date.getDate()}, ${date.getFullYear()}`;
}

/** moment `dddd`: `Tuesday`. */
export function formatWeekday(date: Date): string {
  return WEEKDAYS[date.getDay()] ?? '';
}

/** `HH:mm`. */
export function formatIsoTime(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `YYYY-MM-DD`. */
export function formatIsoDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const DAYS_PER_MONTH = 146097 / 4800;
const DAYS_PER_YEAR = 146097 / 400;

/**
 * A duration in words the way moment's `humanize()` says it (`a few seconds`, `5 minutes`, `an hour`,
 * `3 days`, `a month`, `2 years`), with moment's default thresholds.
 */
export function humanizeDuration(milliseconds: number): string {
  const ms = Math.abs(milliseconds);
  const seconds = Math.round(ms / 1000);
  const minutes = Math.round(ms / 60_000);
  const hours = Math.round(ms / 3_600_000);
  const days = Math.round(ms / 86_400_000);
  const months = Math.round(ms / 86_400_000 / DAYS_PER_MONTH);
  const years = Math.round(ms / 86_400_000 / DAYS_PER_YEAR);
  if (seconds < 45) return 'a few seconds';
  if (minutes <= 1) return 'a minute';
  if (minutes < 45) return `${minutes} minutes`;
  if (hours <= 1) return 'an hour';
  if (hours < 22) return `${hours} hours`;
  if (days <= 1) return 'a day';
  if (days < 26) return `${days} days`;
  if (months <= 1) return 'a month';
  if (months < 11) return `${months} months`;
  if (years <= 1) return 'a year';
  return `${years} years`;
}
