export * from './types.ts';
export * from './limits.ts';
export { substituteMacros } from './substitute.ts';
export { rollDice } from './dice.ts';
export { humanizeDuration } from './time-format.ts';
