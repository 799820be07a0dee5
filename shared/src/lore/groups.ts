import type { CompiledEntry } from './compile.ts';
import { DEFAULT_GROUP_WEIGHT } from './limits.ts';
import type { ActivationReason } from './types.ts';

/** An entry that matched in the current pass, before groups, probability and budget decide. */
export interface Candidate {
  readonly item: CompiledEntry;
  /** Position in the merged, sorted entry list: lower = higher priority. */
  readonly index: number;
  readonly reason: ActivationReason;
  readonly sticky: boolean;
}

export interface GroupContext {
  /** Groups that already have an inserted member from an earlier pass. */
  readonly activatedGroups: ReadonlySet<string>;
  readonly useGroupScoring: boolean;
  readonly rng: () => number;
  /** SillyTavern's group score: how many of the entry's keys match. */
  readonly score: (item: CompiledEntry) => number;
}

function weightOf(item: CompiledEntry): number {
  const weight = item.entry.groupWeight;
  if (typeof weight !== 'number' || Number.isNaN(weight)) return DEFAULT_GROUP_WEIGHT;
  return Math.max(0, weight);
}

/**
 * Applies inclusion groups to one pass's candidates, SillyTavern's way, and returns the survivors in
 * their original order: a group with a sticky member keeps only its sticky members; group scoring drops
 * members that matched fewer keys than the best; a group already represented by an earlier pass loses all
 * new members; otherwise the highest-order `groupOverride` member wins, or else a draw weighted by
 * `groupWeight`. Unlike SillyTavern, an entry knocked out of one group no longer competes in its others.
 */
export function applyInclusionGroups(candidates: readonly Candidate[], context: GroupContext): Candidate[] {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    for (const name of candidate.item.groups) {
      const members = groups.get(name);
      if (members) members.push(candidate);
      else groups.set(name, [candidate]);
    }
  }
  if (groups.size === 0) return [...candidates];

  const removed = new Set<Candidate>();
  const alive = (members: readonly Candidate[]) => members.filter((member) => !removed.has(member));
  const stickyGroups = new Set<string>();

  for (const [name, members] of groups) {
    if (!members.some((member) => member.sticky)) continue;
    stickyGroups.add(name);
    for (const member of members) if (!member.sticky) removed.add(member);
  }

  for (const [name, members] of groups) {
    if (stickyGroups.has(name)) continue;
    if (!context.useGroupScoring && !members.some((member) => member.item.entry.useGroupScoring === true)) continue;
    const contenders = alive(members);
    const scores = contenders.map((member) => context.score(member.item));
    const best = Math.max(...scores);
    contenders.forEach((member, i) => {
      const scored = member.item.entry.useGroupScoring ?? context.useGroupScoring;
      if (scored && (scores[i] ?? 0) < best) removed.add(member);
    });
  }

  for (const [name, members] of groups) {
    if (stickyGroups.has(name)) continue;
    const contenders = alive(members);
    if (context.activatedGroups.has(name)) {
      for (const member of contenders) removed.add(member);
      continue;
    }
    if (contenders.length <= 1) continue;
    const winner = pickWinner(contenders, context.rng);
    if (!winner) continue;
    for (const member of contenders) if (member !== winner) removed.add(member);
  }

  return candidates.filter((candidate) => !removed.has(candidate));
}

function pickWinner(contenders: readonly Candidate[], rng: () => number): Candidate | undefined {
  const overriders = contenders.filter((member) => member.item.entry.groupOverride);
  if (overriders.length > 0) {
    // Stable sort: equal orders keep candidate (priority) order, as SillyTavern's sort does.
    return [...overriders].sort((a, b) => b.item.entry.order - a.item.entry.order)[0];
  }
  const total = contenders.reduce((sum, member) => sum + weightOf(member.item), 0);
  const roll = rng() * total;
  let reached = 0;
  for (const member of contenders) {
    reached += weightOf(member.item);
    if (roll <= reached) return member;
  }
  return contenders[contenders.length - 1];
}
