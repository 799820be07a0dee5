/**
 * Drives UI inside a *closed* shadow root the way a person does. Page scripts and Playwright's
 * locators cannot see into a closed root; the DevTools protocol can (DOM.getDocument with `pierce`),
 * so this finds an element there and clicks it with real (trusted) mouse input at its centre. Used
 * only to prove the shipping build's closed panel works for a person while hiding it from the page.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { DEFAULT_WAIT_MS } from './limits.ts';

interface DomNode {
  nodeId: number;
  nodeType: number;
  localName?: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  shadowRootType?: 'open' | 'closed' | 'user-agent';
}

/** An element by its tag and name (its `aria-label`, else its trimmed text), whole or, with `prefix`, its start. */
export interface ClosedRootTarget {
  tag: string;
  name: string;
  prefix?: boolean;
}

const TEXT_NODE = 3;
const POLL_MS = 50;

function attribute(node: DomNode, name: string): string | undefined {
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

function textOf(node: DomNode): string {
  if (node.nodeType === TEXT_NODE) return node.nodeValue ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function matches(node: DomNode, target: ClosedRootTarget): boolean {
  if (node.localName !== target.tag) return false;
  const name = attribute(node, 'aria-label') ?? textOf(node).trim();
  return target.prefix ? name.startsWith(target.name) : name === target.name;
}

function* walk(node: DomNode): Generator<DomNode> {
  yield node;
  for (const root of node.shadowRoots ?? []) yield* walk(root);
  for (const child of node.children ?? []) yield* walk(child);
}

export class ClosedRootDriver {
  private constructor(private readonly page: Page, private readonly cdp: CDPSession, private readonly hostTag: string) {}

  /** A driver for the shadow root of the `hostTag` element of `page`. */
  static async attach(context: BrowserContext, page: Page, hostTag: string): Promise<ClosedRootDriver> {
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    return new ClosedRootDriver(page, cdp, hostTag);
  }

  /** The host's shadow root as the protocol sees it now (node ids change with every read). */
  async root(): Promise<DomNode | null> {
    const { root } = await this.cdp.send('DOM.getDocument', { depth: -1, pierce: true }) as { root: DomNode };
    for (const node of walk(root)) {
      if (node.localName === this.hostTag) return node.shadowRoots?.[0] ?? null;
    }
    return null;
  }

  /** Every text the root shows, joined: what a person can read there. */
  async text(): Promise<string> {
    const root = await this.root();
    return root ? textOf(root) : '';
  }

  /** Waits until `target` is in the root; returns its current node id. */
  async waitFor(target: ClosedRootTarget, timeoutMs = DEFAULT_WAIT_MS): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const root = await this.root();
      const found = root && [...walk(root)].find((node) => matches(node, target));
      if (found) return found.nodeId;
      if (Date.now() > deadline) throw new Error(`no <${target.tag}> named "${target.name}" in <${this.hostTag}>'s shadow root within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** An attribute of `target` as it is now (null when the element has none). */
  async attribute(target: ClosedRootTarget, name: string): Promise<string | null> {
    await this.waitFor(target);
    const root = await this.root();
    const found = root && [...walk(root)].find((node) => matches(node, target));
    return (found && attribute(found, name)) ?? null;
  }

  /** Clicks `target` with the mouse, as a person would (a trusted event). */
  async click(target: ClosedRootTarget): Promise<void> {
    const nodeId = await this.waitFor(target);
    await this.cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
    const { model } = await this.cdp.send('DOM.getBoxModel', { nodeId }) as { model: { border: number[] } };
    const [x1, y1, , , x3, y3] = model.border as [number, number, number, number, number, number];
    await this.page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  }

  async detach(): Promise<void> {
    await this.cdp.detach();
  }
}
