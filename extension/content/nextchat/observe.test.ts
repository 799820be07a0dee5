import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attributesIn, observe } from './observe.ts';
import { afterDelivery } from './test-support.ts';

describe('observe', () => {
  let doc: Document;
  let abort: AbortController;
  let entered: string[];
  let left: string[];
  const follow = (selector: string, root?: Element) => observe(selector, (element, gone) => {
    entered.push(element.id);
    gone.addEventListener('abort', () => left.push(element.id), { once: true });
  }, { signal: abort.signal, root: root ?? doc });

  beforeEach(() => {
    doc = document.implementation.createHTMLDocument('page');
    doc.body.innerHTML = '<div id="list"><p id="a" class="row"></p></div>';
    abort = new AbortController();
    entered = [];
    left = [];
  });
  afterEach(() => abort.abort());

  it('calls back for what matches now and for what is added later, once each', async () => {
    follow('.row');
    expect(entered).toEqual(['a']);
    doc.getElementById('list')!.insertAdjacentHTML('beforeend', '<p id="b" class="row"></p><div id="wrap"><p id="c" class="row"></p></div>');
    await vi.waitFor(() => expect(entered).toEqual(['a', 'b', 'c']));
    // Moved within the page: it never left.
    await afterDelivery(doc, () => doc.getElementById('list')!.append(doc.getElementById('a')!));
    expect(entered).toEqual(['a', 'b', 'c']);
    expect(left).toEqual([]);
  });

  it('follows class changes both ways and elements leaving the page', async () => {
    follow('.row.selected');
    doc.body.insertAdjacentHTML('beforeend', '<p id="b" class="row"></p>');
    const a = doc.getElementById('a')!;
    const b = doc.getElementById('b')!;
    a.classList.add('selected');
    await vi.waitFor(() => expect(entered).toEqual(['a']));
    a.classList.remove('selected');
    b.classList.add('selected');
    await vi.waitFor(() => expect(entered).toEqual(['a', 'b']));
    expect(left).toEqual(['a']);
    b.remove();
    await vi.waitFor(() => expect(left).toEqual(['a', 'b']));
  });

  it('notices descendants that start matching through an ancestor, and the attributes a selector names', async () => {
    follow('body.dark #a');
    follow('[data-session="s2"]');
    doc.body.classList.add('dark');
    await vi.waitFor(() => expect(entered).toEqual(['a']));
    doc.getElementById('a')!.setAttribute('data-session', 's2');
    await vi.waitFor(() => expect(entered).toEqual(['a', 'a']));
    doc.body.classList.remove('dark');
    await vi.waitFor(() => expect(left).toEqual(['a']));
  });

  it('looks only inside its root', async () => {
    doc.body.insertAdjacentHTML('beforeend', '<p id="outside" class="row"></p>');
    follow('.row', doc.getElementById('list')!);
    expect(entered).toEqual(['a']);
    doc.body.insertAdjacentHTML('beforeend', '<p id="outside-2" class="row"></p>');
    doc.getElementById('list')!.insertAdjacentHTML('beforeend', '<p id="inside" class="row"></p>');
    await vi.waitFor(() => expect(entered).toEqual(['a', 'inside']));
  });

  it('keeps going when one callback throws', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    observe('.row', (element) => {
      if (element.id === 'a') throw new Error('broken');
      entered.push(element.id);
    }, { signal: abort.signal, root: doc });
    doc.getElementById('list')!.insertAdjacentHTML('beforeend', '<p id="b" class="row"></p>');
    await vi.waitFor(() => expect(entered).toEqual(['b']));
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });

  it('stops on abort: every element\'s signal aborts and nothing more is called', async () => {
    follow('.row');
    abort.abort();
    expect(left).toEqual(['a']);
    await afterDelivery(doc, () => doc.getElementById('list')!.insertAdjacentHTML('beforeend', '<p id="b" class="row"></p>'));
    expect(entered).toEqual(['a']);
    const late = vi.fn();
    observe('.row', late, { signal: abort.signal, root: doc });
    expect(late).not.toHaveBeenCalled();
  });
});

describe('attributesIn', () => {
  it('names class, id and every attribute in the selector', () => {
    expect(attributesIn('[class*="home_chat-item__"][data-rfd-draggable-id="x"] > textarea#chat-input')).toEqual(['class', 'id', 'data-rfd-draggable-id']);
  });
});
