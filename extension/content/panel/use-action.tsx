/**
 * What the person asked a feature to do, and how it went, said the same way in every section: the
 * section is busy while it runs, then shows the outcome (a short confirmation, or the reason it failed)
 * in its own body, never in another feature's or on NextChat's page.
 */
import { useState } from 'preact/hooks';

export interface ActionOutcome { text: string; error: boolean }

export interface Action {
  busy: boolean;
  outcome: ActionOutcome | null;
  /**
   * Runs `task`: what it resolves with is shown as done (nothing for null or undefined), what it throws
   * as the failure. Resolves true when it succeeded.
   */
  run(task: () => Promise<string | null | void>): Promise<boolean>;
  /** Forgets the outcome (the person changed what it was about). */
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  return {
    busy,
    outcome,
    async run(task) {
      setBusy(true);
      setOutcome(null);
      try {
        const done = await task();
        if (done) setOutcome({ text: done, error: false });
        return true;
      } catch (error) {
        setOutcome({ text: error instanceof Error ? error.message : String(error), error: true });
        return false;
      } finally {
        setBusy(false);
      }
    },
    clear: () => setOutcome(null),
  };
}

/** The outcome line: a status for what was done, an alert for what failed. */
export function ActionOutcomeLine({ outcome }: { outcome: ActionOutcome | null }) {
  if (!outcome) return null;
  return <p class={outcome.error ? 'error small' : 'muted small'} role={outcome.error ? 'alert' : 'status'}>{outcome.text}</p>;
}
