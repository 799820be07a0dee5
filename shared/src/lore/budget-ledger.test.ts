import { describe, expect, it } from 'vitest';
import { BudgetLedger } from './budget-ledger.ts';
import { compileBook, type CompiledEntry } from './compile.ts';
import { book, type EntryInit } from './test-support.ts';

/** Compiles one book and returns a lookup of its entries by uid. */
function compiled(name: string, list: EntryInit[], tokenBudget: number | null = null): (uid: number) => CompiledEntry {
  const { entries } = compileBook(book(name, list, { tokenBudget }));
  return (uid) => {
    const item = entries.find((candidate) => candidate.entry.uid === uid);
    if (!item) throw new Error(`no entry ${uid}`);
    return item;
  };
}

const skips = (ledger: BudgetLedger) => ledger.skipped.map(({ uid, tokens, scope }) => ({ uid, tokens, scope }));

describe('BudgetLedger', () => {
  it('charges until the overall budget would go over, then shuts out budgeted entries uncounted', () => {
    const entry = compiled('b', [{ uid: 1 }, { uid: 2 }, { uid: 3 }, { uid: 4, ignoreBudget: true }]);
    const ledger = new BudgetLedger(10);
    expect(ledger.charge(entry(1), 6)).toBe(true);
    expect(ledger.shutOut(entry(2))).toBe(false);
    expect(ledger.charge(entry(2), 5)).toBe(false);
    expect(ledger.overflowed).toBe(true);
    expect(ledger.shutOut(entry(3))).toBe(true);
    expect(ledger.shutOut(entry(4))).toBe(false);
    expect(ledger.charge(entry(4), 100)).toBe(true);
    expect(ledger.summary()).toEqual({ limit: 10, used: 6, overflowed: true });
    expect(skips(ledger)).toEqual([
      { uid: 2, tokens: 5, scope: 'budget' },
      { uid: 3, tokens: null, scope: 'budget' },
    ]);
  });

  it('a full book stops only its own entries and leaves the budget open', () => {
    const small = compiled('small', [{ uid: 1 }, { uid: 2 }], 4);
    const other = compiled('other', [{ uid: 9 }]);
    const ledger = new BudgetLedger(100);
    expect(ledger.charge(small(1), 3)).toBe(true);
    expect(ledger.charge(small(2), 2)).toBe(false);
    expect(ledger.overflowed).toBe(false);
    expect(ledger.charge(other(9), 50)).toBe(true);
    expect(ledger.used).toBe(53);
    expect(skips(ledger)).toEqual([{ uid: 2, tokens: 2, scope: 'book-budget' }]);
  });

  it('an entry that exactly fills the budget fits', () => {
    const entry = compiled('b', [{ uid: 1 }]);
    const ledger = new BudgetLedger(5);
    expect(ledger.charge(entry(1), 5)).toBe(true);
    expect(ledger.overflowed).toBe(false);
  });
});
