/**
 * The one way Troupe watches NextChat's page. NextChat is a client-rendered app that mounts its views
 * late, remounts its chat view per session and moves its selection by class changes, so "is this
 * landmark there" is always "is it there now, and tell me when that changes". Every follower in this
 * folder (theme, chat view, placement, the message list) is built on `observe`, so each one is cheap
 * (it looks only at what changed, never re-scans the page) and each one stops with its signal.
 */

/** Called for each element that matches; `gone` aborts when it stops matching, leaves the page or the observing stops. */
export type ObserveCallback = (element: Element, gone: AbortSignal) => void;

export interface ObserveOptions {
  /** Stops the observing; every element's `gone` aborts with it. */
  signal: AbortSignal;
  /** Where to look; the whole document by default. */
  root?: Document | Element;
}

/**
 * Calls `callback` for each element matching `selector` now, and for each that starts matching later:
 * inserted, or changed (a class, an id, an attribute the selector names) until it matches. Each call
 * gets a signal that aborts once that element no longer matches or leaves `root`. Nothing runs after
 * `options.signal` aborts. A callback that throws is reported and does not stop the others.
 *
 * @example
 *   observe(SELECTORS.chatBody, (body, gone) => {
 *     resizes.observe(body);
 *     gone.addEventListener('abort', () => resizes.unobserve(body));
 *   }, { signal });
 */
export function observe(selector: string, callback: ObserveCallback, { signal, root = document }: ObserveOptions): void {
  if (signal.aborted) return;
  const tracked = new Map<Element, AbortController>();
  const within = (element: Element) => element.isConnected && (root === element || root.contains(element));
  const enter = (element: Element) => {
    if (signal.aborted || tracked.has(element)) return;
    const gone = new AbortController();
    tracked.set(element, gone);
    try {
      callback(element, gone.signal);
    } catch (error) {
      reportError(error);
    }
  };
  const leave = (element: Element) => {
    const gone = tracked.get(element);
    tracked.delete(element);
    gone?.abort();
  };
  /** `node` and its descendants that match (a descendant can start matching when an ancestor's class changes). */
  const scan = (node: Node) => {
    if (!isElementOrDocument(node) || !node.isConnected) return;
    if (isElement(node) && node.matches(selector) && within(node)) enter(node);
    for (const element of node.querySelectorAll(selector)) if (within(element)) enter(element);
  };
  const observer = new MutationObserver((records) => {
    const touched: Node[] = [];
    let sweep = false;
    for (const record of records) {
      if (record.type === 'attributes') {
        sweep = true;
        touched.push(record.target);
      } else {
        if (record.removedNodes.length > 0) sweep = true;
        touched.push(...record.addedNodes);
      }
    }
    // Leaving first: a row moved within the list is both removed and added, and it never left.
    if (sweep) for (const element of [...tracked.keys()]) if (!within(element) || !element.matches(selector)) leave(element);
    for (const node of touched) scan(node);
  });
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: attributesIn(selector) });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    for (const element of [...tracked.keys()]) leave(element);
  }, { once: true });
  scan(root);
}

/** The attributes whose change can make an element start or stop matching `selector`. */
export function attributesIn(selector: string): string[] {
  const named = [...selector.matchAll(/\[\s*([\w-]+)/g)].map((match) => match[1]!.toLowerCase());
  return [...new Set(['class', 'id', ...named])];
}

function isElement(node: Node): node is Element {
  return node.nodeType === Node.ELEMENT_NODE;
}

function isElementOrDocument(node: Node): node is Element | Document {
  return node.nodeType === Node.ELEMENT_NODE || node.nodeType === Node.DOCUMENT_NODE;
}

/** A broken callback is the caller's bug: shown in the console, never thrown into the page's mutation delivery. */
function reportError(error: unknown): void {
  console.error('Troupe: an observer callback failed', error);
}
