import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { PanelSection } from './PanelSection.tsx';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function show(open: boolean, summary: string | null = null, onToggle = () => undefined) {
  act(() => {
    render(<PanelSection id="persona" title="Persona" open={open} summary={summary} onToggle={onToggle}><p>Persona form</p></PanelSection>, root);
  });
  const header = root.querySelector<HTMLButtonElement>('button.section-toggle')!;
  const body = root.querySelector<HTMLElement>(`#${header.getAttribute('aria-controls')}`)!;
  return { header, body };
}

describe('PanelSection', () => {
  it('is a disclosure: a heading button that controls the body and says whether it is open', () => {
    const { header, body } = show(true);
    expect(header.closest('h3')).not.toBeNull();
    expect(header.type).toBe('button');
    expect(header.getAttribute('aria-expanded')).toBe('true');
    expect(header.textContent).toBe('Persona');
    expect(body.hidden).toBe(false);
    expect(body.textContent).toBe('Persona form');
    // The section is a region named by its header.
    expect(root.querySelector('section')!.getAttribute('aria-labelledby')).toBe(header.id);
  });

  it('hides the body when closed but keeps it mounted (a half-typed form survives)', () => {
    const { header, body } = show(false);
    expect(header.getAttribute('aria-expanded')).toBe('false');
    expect(body.hidden).toBe(true);
    expect(body.textContent).toBe('Persona form');
  });

  it('calls onToggle on click', () => {
    const onToggle = vi.fn();
    const { header } = show(false, null, onToggle);
    act(() => header.click());
    expect(onToggle).toHaveBeenCalledTimes(1);
  });

  it('shows the summary while closed, as the description and not part of the name', () => {
    const { header } = show(false, 'Ann');
    const summary = root.querySelector<HTMLElement>('.section-summary')!;
    expect(summary.textContent).toBe('Ann');
    expect(summary.getAttribute('aria-hidden')).toBe('true');
    expect(header.getAttribute('aria-describedby')).toBe(summary.id);
  });

  it('shows no summary while open, nor an empty one', () => {
    expect(show(true, 'Ann').header.hasAttribute('aria-describedby')).toBe(false);
    expect(root.querySelector('.section-summary')).toBeNull();
    show(false, '');
    expect(root.querySelector('.section-summary')).toBeNull();
  });
});
