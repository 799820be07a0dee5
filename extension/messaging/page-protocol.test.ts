import { MAX_REPLY_DELTA_CHARS } from './limits/general.ts';
import { describe, expect, it } from 'vitest';
import { acceptPagePort, offerPagePort, readIsolatedMessage, readMainMessage } from './page-protocol.ts';
import { MAX_AUTHORIZATION_CHARS } from './limits/general.ts';

function nextMessage(port: MessagePort): Promise<unknown> {
  return new Promise((resolve) => { port.onmessage = (e) => resolve(e.data); });
}

describe('page channel handshake', () => {
  it('pairs when the isolated script runs first, and hands over the private node', async () => {
    let isolated: MessagePort | null = null;
    let handed: Element | null = null;
    acceptPagePort(window, (p, n) => { isolated = p; handed = n; }, new AbortController().signal);
    const node = document.createElement('div');
    const main = offerPagePort(window, node);
    expect(isolated).not.toBeNull();
    expect(handed).toBe(node);
    const got = nextMessage(isolated!);
    main.postMessage('ping');
    expect(await got).toBe('ping');
  });

  it('pairs when the MAIN-world script runs first, and hands over the private node', async () => {
    const node = document.createElement('div');
    const main = offerPagePort(window, node);
    let isolated: MessagePort | null = null;
    let handed: Element | null = null;
    acceptPagePort(window, (p, n) => { isolated = p; handed = n; }, new AbortController().signal);
    expect(isolated).not.toBeNull();
    expect(handed).toBe(node);
    const got = nextMessage(main);
    isolated!.postMessage('pong');
    expect(await got).toBe('pong');
  });

  it('offers its port only once, so a later asker gets nothing', () => {
    offerPagePort(window, document.createElement('div'));
    const first: MessagePort[] = [];
    acceptPagePort(window, (p) => first.push(p), new AbortController().signal);
    const late: MessagePort[] = [];
    acceptPagePort(window, (p) => late.push(p), new AbortController().signal);
    expect(first).toHaveLength(1);
    expect(late).toHaveLength(0);
  });

  it('takes no node that is in the document (one a page script could reach)', () => {
    const attached = document.body.appendChild(document.createElement('div'));
    let handed: Element | null | undefined;
    acceptPagePort(window, (_p, n) => { handed = n; }, new AbortController().signal);
    offerPagePort(window, attached);
    expect(handed).toBeNull();
    attached.remove();
  });

  it('ignores offers once the window closed (after the document_start turn)', () => {
    const closed = new AbortController();
    const got: MessagePort[] = [];
    acceptPagePort(window, (p) => got.push(p), closed.signal);
    closed.abort();
    offerPagePort(window, document.createElement('div')); // what a page script could do later
    expect(got).toHaveLength(0);
  });
});

describe('message validation', () => {
  it('accepts well-formed messages in each direction', () => {
    expect(readMainMessage({ v: 1, t: 'rewrite', id: 'abcd-1234', url: '/v1/chat/completions', body: '{}', format: 'openai', provider: 'openai', userText: 'Hi' })).not.toBeNull();
    expect(readMainMessage({ v: 1, t: 'rewrite', id: 'abcd-1234', url: '/api/baidu/x', body: '{}', format: null, provider: 'baidu', userText: '' })).not.toBeNull();
    expect(readMainMessage({ v: 1, t: 'reply', id: 'abcd-1234', text: 'hi', status: 'done' })).not.toBeNull();
    expect(readMainMessage({ v: 1, t: 'delta', id: 'abcd-1234', text: 'Hello. ' })).toEqual({ v: 1, t: 'delta', id: 'abcd-1234', text: 'Hello. ' });
    // A delta is a slice of at most MAX_REPLY_DELTA_CHARS, never empty, always text.
    expect(readMainMessage({ v: 1, t: 'delta', id: 'abcd-1234', text: 'x'.repeat(MAX_REPLY_DELTA_CHARS + 1) })).toBeNull();
    expect(readMainMessage({ v: 1, t: 'delta', id: 'abcd-1234', text: '' })).toBeNull();
    expect(readMainMessage({ v: 1, t: 'delta', id: 'abcd-1234', text: 5 })).toBeNull();
    expect(readIsolatedMessage({ v: 1, t: 'rewritten', id: 'abcd-1234', body: null })).toEqual({ v: 1, t: 'rewritten', id: 'abcd-1234', body: null });
  });

  it.each([
    ['another version', { v: 2, t: 'reply', id: 'abcd-1234', text: 'x', status: 'done' }],
    ['a short id', { v: 1, t: 'reply', id: 'x', text: 'x', status: 'done' }],
    ['an unknown type', { v: 1, t: 'store', id: 'abcd-1234' }],
    ['a bad status', { v: 1, t: 'reply', id: 'abcd-1234', text: 'x', status: 'maybe' }],
    ['a non-text body', { v: 1, t: 'rewrite', id: 'abcd-1234', url: '/', body: { messages: [] }, format: 'openai', provider: 'openai', userText: '' }],
    ['an unknown format', { v: 1, t: 'rewrite', id: 'abcd-1234', url: '/', body: '{}', format: 'cohere', provider: 'openai', userText: '' }],
    ['an unknown provider', { v: 1, t: 'rewrite', id: 'abcd-1234', url: '/', body: '{}', format: 'openai', provider: '__proto__', userText: '' }],
    ['a failure with words instead of a code', { v: 1, t: 'failure', id: 'abcd-1234', message: 'Your session expired, re-enter your password' }],
    ['an unknown failure code', { v: 1, t: 'failure', id: 'abcd-1234', code: 'phish' }],
    ['a string', 'reply'],
  ])('drops %s', (_name, data) => {
    expect(readMainMessage(data)).toBeNull();
  });

  it('passes a rewrite\'s Authorization header on only as printable text within the limit (else as none, the rewrite kept)', () => {
    const rewrite = { v: 1, t: 'rewrite', id: 'abcd-1234', url: '/api/openai/v1/chat/completions', body: '{}', format: 'openai', provider: 'openai', userText: 'Hi' };
    expect(readMainMessage({ ...rewrite, authorization: 'Bearer nk-code' })).toMatchObject({ t: 'rewrite', authorization: 'Bearer nk-code' });
    // An older MAIN world sends none.
    expect(readMainMessage(rewrite)).toMatchObject({ t: 'rewrite', authorization: null });
    for (const authorization of ['Bearer sk-1\r\nX-Evil: 1', 'Bearer ' + 'k'.repeat(MAX_AUTHORIZATION_CHARS), '', 42, { toString: () => 'Bearer x' }]) {
      expect(readMainMessage({ ...rewrite, authorization })).toMatchObject({ t: 'rewrite', authorization: null });
    }
  });

  it('reads whether a character may speak, and nothing else in that message', () => {
    expect(readIsolatedMessage({ v: 1, t: 'chat', speaking: false })).toEqual({ v: 1, t: 'chat', speaking: false });
    expect(readIsolatedMessage({ v: 1, t: 'chat', speaking: 'no' })).toBeNull();
  });

  it('drops a rewritten body that is not text', () => {
    expect(readIsolatedMessage({ v: 1, t: 'rewritten', id: 'abcd-1234', body: 42 })).toBeNull();
  });
});
