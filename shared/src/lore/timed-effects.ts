import type { CompiledEntry } from './compile.ts';
import { LORE_TIMED_STATE_VERSION, type LoreTimedState, type LoreWarning, type TimedEffect } from './types.ts';

/** A fresh, empty timed state for a chat. */
export function emptyTimedState(): LoreTimedState {
  return { version: LORE_TIMED_STATE_VERSION, sticky: {}, cooldown: {} };
}

function isEffect(value: unknown): value is TimedEffect {
  if (typeof value !== 'object' || value === null) return false;
  const effect = value as Record<string, unknown>;
  return typeof effect.start === 'number' && typeof effect.end === 'number' && typeof effect.protected === 'boolean';
}

function copyEffects(value: unknown): Record<string, TimedEffect> {
  const out: Record<string, TimedEffect> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, effect] of Object.entries(value)) {
    if (isEffect(effect)) out[key] = { start: effect.start, end: effect.end, protected: effect.protected };
  }
  return out;
}

/**
 * Reads a stored timed state defensively: a missing or foreign value (another version, a corrupt blob)
 * becomes an empty state plus a warning, never an exception. The result is a copy the caller may keep.
 */
export function readTimedState(value: unknown, warnings: LoreWarning[]): LoreTimedState {
  if (value === undefined || value === null) return emptyTimedState();
  const state = value as Partial<LoreTimedState>;
  if (typeof value !== 'object' || state.version !== LORE_TIMED_STATE_VERSION) {
    warnings.push({ code: 'lore/timed-state-reset', book: '', message: 'Stored sticky/cooldown state was unreadable and has been reset' });
    return emptyTimedState();
  }
  return { version: LORE_TIMED_STATE_VERSION, sticky: copyEffects(state.sticky), cooldown: copyEffects(state.cooldown) };
}

/**
 * Sticky, cooldown and delay for one activation, SillyTavern's way: effects are measured in chat length
 * (messages); an effect whose chat has not advanced since it started is dropped unless protected (so a
 * regeneration re-rolls it); when a sticky effect ends, the entry's cooldown starts, protected.
 */
export class TimedEffects {
  private readonly sticky = new Set<string>();
  private readonly cooldown = new Set<string>();

  constructor(
    readonly state: LoreTimedState,
    private readonly chatLength: number,
    private readonly find: (id: string) => CompiledEntry | undefined,
  ) {
    this.expire('sticky');
    this.expire('cooldown');
  }

  private expire(type: 'sticky' | 'cooldown'): void {
    const effects = this.state[type];
    for (const [id, effect] of Object.entries(effects)) {
      const item = this.find(id);
      if (this.chatLength <= effect.start && !effect.protected) {
        delete effects[id];
        continue;
      }
      if (!item) {
        if (this.chatLength >= effect.end) delete effects[id];
        continue;
      }
      const duration = item.entry[type];
      if (!(duration > 0)) {
        delete effects[id];
        continue;
      }
      if (this.chatLength >= effect.end) {
        delete effects[id];
        if (type === 'sticky' && item.entry.cooldown > 0) {
          this.state.cooldown[id] = { start: this.chatLength, end: this.chatLength + item.entry.cooldown, protected: true };
          this.cooldown.add(id);
        }
        continue;
      }
      (type === 'sticky' ? this.sticky : this.cooldown).add(id);
    }
  }

  /** Ids of entries whose sticky effect is running. */
  stickyIds(): ReadonlySet<string> {
    return this.sticky;
  }

  isSticky(item: CompiledEntry): boolean {
    return this.sticky.size > 0 && this.sticky.has(item.id);
  }

  isCoolingDown(item: CompiledEntry): boolean {
    return this.cooldown.size > 0 && this.cooldown.has(item.id);
  }

  /** Delay: the entry (or its `@@activate_only_after`) wants a longer chat; `@@activate_only_every` a multiple. */
  isDelayed(item: CompiledEntry): boolean {
    const { entry, decorators } = item;
    if (entry.delay > 0 && this.chatLength < entry.delay) return true;
    if (decorators.activateOnlyAfter !== undefined && this.chatLength < decorators.activateOnlyAfter) return true;
    if (decorators.activateOnlyEvery !== undefined && this.chatLength % decorators.activateOnlyEvery !== 0) return true;
    return false;
  }

  /** Starts sticky and cooldown effects for the entries this activation inserted (existing ones keep running). */
  record(activated: readonly CompiledEntry[]): void {
    for (const item of activated) {
      for (const type of ['sticky', 'cooldown'] as const) {
        const duration = item.entry[type];
        if (duration > 0 && !this.state[type][item.id]) {
          this.state[type][item.id] = { start: this.chatLength, end: this.chatLength + duration, protected: false };
        }
      }
    }
  }
}
