import { describe, expect, it } from 'vitest';
import { OPENED_BY_TROUPE_ATTRIBUTE, PACK_ID_CHARS } from '@troupe/shared/packs';
import { forwardPackLink, packLinkOfPage } from './forward-link.ts';

const id = 'A'.repeat(PACK_ID_CHARS);
const key = 'k'.repeat(43);
const at = (href: string) => {
  const url = new URL(href);
  return { origin: url.origin, pathname: url.pathname, hash: url.hash };
};

describe('the relay link page hands over its link', () => {
  it('reads the link with its key from the address, also under a path prefix', () => {
    expect(packLinkOfPage(at(`http://127.0.0.1:8787/p/${id}#${key}`))).toBe(`http://127.0.0.1:8787/p/${id}#${key}`);
    expect(packLinkOfPage(at(`https://host.example/relay/p/${id}#${key}`))).toBe(`https://host.example/relay/p/${id}#${key}`);
  });

  it('sends nothing for a page that is not a link page, or a link without its key', async () => {
    const sent: string[] = [];
    const send = async (_origin: string, link: string) => { sent.push(link); };
    const root = document.createElement('html');
    expect(await forwardPackLink(at(`http://127.0.0.1:8787/p/${id}`), root, send)).toBe(false);
    expect(await forwardPackLink(at(`http://127.0.0.1:8787/p/${id.slice(1)}#${key}`), root, send)).toBe(false);
    expect(await forwardPackLink(at(`http://127.0.0.1:8787/packs/${id}#${key}`), root, send)).toBe(false);
    expect(sent).toEqual([]);
    expect(root.hasAttribute(OPENED_BY_TROUPE_ATTRIBUTE)).toBe(false);
    expect(await forwardPackLink(at(`http://127.0.0.1:8787/p/${id}#${key}`), root, send)).toBe(true);
    expect(sent).toEqual([`http://127.0.0.1:8787/p/${id}#${key}`]);
    expect(root.hasAttribute(OPENED_BY_TROUPE_ATTRIBUTE)).toBe(true);
  });

  it('tells the page first that Troupe opens the pack, and takes it back when Troupe could not', async () => {
    const root = document.createElement('html');
    const failing = forwardPackLink(at(`http://127.0.0.1:8787/p/${id}#${key}`), root, async () => {
      expect(root.hasAttribute(OPENED_BY_TROUPE_ATTRIBUTE)).toBe(true);
      throw new Error('Extension context invalidated.');
    });
    await expect(failing).rejects.toThrow('Extension context invalidated.');
    expect(root.hasAttribute(OPENED_BY_TROUPE_ATTRIBUTE)).toBe(false);
  });
});
