// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { summariseCharacter } from './character-summary.ts';
import { BUTTON_LABELS, renderLoading, renderOpenedInTroupe, renderPack, renderProblem, type PackView, type ViewActions } from './render.ts';
import { packCharacter } from './test-support.ts';

const HOSTILE = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';

function view(): PackView {
  const hostile = packCharacter(HOSTILE);
  hostile.card.data.creator_notes = `<b>bold?</b> ${HOSTILE}`;
  return { characters: [summariseCharacter(packCharacter('Aria')), summariseCharacter(hostile)], lorebooks: [{ name: 'The Coast', entries: 1 }], personas: 2 };
}

function actions(overrides: Partial<ViewActions> = {}): ViewActions {
  return { avatarUrl: (i) => (i === 0 ? 'blob:avatar-0' : null), downloadCharacter: vi.fn(async () => null), downloadLorebook: vi.fn(), ...overrides };
}

let root: HTMLElement;
beforeEach(() => {
  document.body.innerHTML = '<main id="pack-page"></main>';
  root = document.getElementById('pack-page')!;
});

describe('renderPack', () => {
  it('lists each character with avatar, name, blurb, lorebook entry count and both downloads', () => {
    renderPack(root, view(), actions());
    expect(root.dataset['state']).toBe('pack');
    expect(root.querySelector('h1')?.textContent).toBe('A character pack: 2 characters');
    const items = root.querySelectorAll('ul.characters > li');
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first.querySelector('h2')?.textContent).toBe('Aria');
    expect(first.querySelector('.blurb')?.textContent).toBe('Notes about Aria.');
    expect(first.querySelector('.meta')?.textContent).toBe('2 lorebook entries · 1 more file in the CHARX');
    expect(first.querySelector('img')?.getAttribute('src')).toBe('blob:avatar-0');
    expect([...first.querySelectorAll('button')].map((b) => b.textContent)).toEqual([BUTTON_LABELS.png, BUTTON_LABELS.charx]);
    expect(items[1]!.querySelector('img')).toBeNull();
    expect(root.querySelector('ul.lorebooks')?.textContent).toContain('The Coast');
    expect(root.textContent).toContain('The pack also holds 2 personas, which only Troupe imports.');
  });

  it('puts card text in as text only: markup in a card never becomes elements', () => {
    renderPack(root, view(), actions());
    const hostile = root.querySelectorAll('ul.characters > li')[1]!;
    expect(hostile.querySelector('h2')?.textContent).toBe(HOSTILE);
    expect(hostile.querySelector('.blurb')?.textContent).toBe(`<b>bold?</b> ${HOSTILE}`);
    expect(root.querySelectorAll('script, b, img[onerror]')).toHaveLength(0);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('calls the download for the character and kind clicked, and shows its note', async () => {
    let finish: (note: string | null) => void = () => {};
    const downloadCharacter = vi.fn(() => new Promise<string | null>((resolve) => (finish = resolve)));
    const downloadLorebook = vi.fn();
    renderPack(root, view(), actions({ downloadCharacter, downloadLorebook }));
    const second = root.querySelectorAll('ul.characters > li')[1]!;
    const charx = [...second.querySelectorAll('button')].find((b) => b.textContent === BUTTON_LABELS.charx)!;
    charx.click();
    expect(downloadCharacter).toHaveBeenCalledWith(1, 'charx');
    expect(charx.disabled).toBe(true);
    finish('A note.');
    await vi.waitFor(() => expect(charx.disabled).toBe(false));
    expect(second.querySelector('[role="status"]')?.textContent).toBe('A note.');
    root.querySelector<HTMLButtonElement>('ul.lorebooks button')!.click();
    expect(downloadLorebook).toHaveBeenCalledWith(0);
  });
});

describe('renderProblem and renderLoading', () => {
  it('shows the problem as an alert with its words and its code', () => {
    renderLoading(root);
    expect(root.dataset['state']).toBe('loading');
    renderProblem(root, { code: 'pack/revoked', detail: 'The publisher revoked this pack.' });
    const alert = root.querySelector('[role="alert"]')!;
    expect(alert.querySelector('h1')?.textContent).toBe('This pack is no longer shared');
    expect(alert.textContent).toContain('pack/revoked: The publisher revoked this pack.');
    expect(root.dataset['problem']).toBe('pack/revoked');
  });
});

describe('renderOpenedInTroupe', () => {
  it('says Troupe opens the pack, and shows it here only when asked (once)', () => {
    const root = document.createElement('main');
    let asked = 0;
    renderOpenedInTroupe(root, () => { asked++; });
    expect(root.dataset['state']).toBe('troupe');
    expect(root.querySelector('h1')?.textContent).toBe('Opening in Troupe');
    const button = root.querySelector('button')!;
    expect(button.textContent).toBe('Show it here instead');
    button.click();
    button.click();
    expect(asked).toBe(1);
  });
});
