import { MAX_DICE, MAX_DICE_SIDES } from './limits.ts';

/**
 * Rolls a dice formula: `NdM`, `dM` (one die), `NdM+K` / `NdM-K`, or a bare number `M` (one M-sided
 * die), as SillyTavern's `{{roll}}` accepts. Returns null for anything else.
 *
 * @example rollDice('2d6+1', Math.random) // 3..13
 */
export function rollDice(formula: string, rng: () => number): number | null {
  const compact = formula.replace(/\s+/g, '');
  const normalised = /^\d+$/.test(compact) ? `1d${compact}` : compact;
  const match = /^(\d*)d(\d+)([+-]\d+)?$/i.exec(normalised);
  if (!match) return null;
  const count = match[1] === '' ? 1 : Number(match[1]);
  const sides = Number(match[2]);
  const modifier = match[3] ? Number(match[3]) : 0;
  if (count < 1 || count > MAX_DICE || sides < 1 || sides > MAX_DICE_SIDES) return null;
  let total = modifier;
  for (let i = 0; i < count; i++) total += 1 + Math.floor(rng() * sides);
  return total;
}
