// Test double of NextChat v2.16: tiny DOM helpers standing in for React's element creation and
// keyed reconciliation (rows are updated in place, never rebuilt, as React does).

/**
 * h('div', { class: 'a', title: 't', onclick: fn }, child, 'text') -> HTMLElement.
 * Keys starting with `on` are listeners; `null`/`false` attributes and children are skipped.
 */
export function h(tag, props, ...children) {
  const el = tag === 'svg' ? document.createElementNS('http://www.w3.org/2000/svg', 'svg') : document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Sets an element's text only when it changed, so observers see no needless mutations. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets or removes an attribute only when it changed. */
export function setAttr(el, name, value) {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== String(value)) {
    el.setAttribute(name, String(value));
  }
}

/**
 * Keyed list reconciliation: keeps each item's element (by key), creates missing ones, updates all,
 * puts them in order and removes the rest. `cache` is the Map of key -> element for this list.
 */
export function syncKeyed(parent, items, cache, keyOf, create, update) {
  const wanted = new Set();
  let previous = null;
  for (const item of items) {
    const key = keyOf(item);
    wanted.add(key);
    let el = cache.get(key);
    if (!el) {
      el = create(item);
      cache.set(key, el);
    }
    update(el, item);
    const expected = previous ? previous.nextSibling : parent.firstChild;
    if (expected !== el) parent.insertBefore(el, expected);
    previous = el;
  }
  for (const [key, el] of cache) {
    if (!wanted.has(key)) {
      el.remove();
      cache.delete(key);
    }
  }
}
