/**
 * The browser built-ins the MAIN-world interceptor uses, taken at document_start, before any page
 * script runs. A script on the page (NextChat with an XSS, say) can later replace any global or
 * prototype method; by then Troupe calls only these captured originals on anything it does not want
 * the page to see (the built prompt). What it does with the page's own request needs no such care.
 */
export interface PageBuiltins {
  /** `Reflect.apply`, so no call goes through a patched `Function.prototype.call`. */
  apply: typeof Reflect.apply;
  fetch: typeof fetch;
  /** `MessagePort.prototype.postMessage`: a patched one would receive the port and every message. */
  postMessage: (port: MessagePort, message: unknown) => void;
  /** `MessageEvent.prototype.data`'s getter. */
  messageData: (event: MessageEvent) => unknown;
  parseJson: (text: string) => unknown;
  stringifyJson: (value: unknown) => string;
  /** `Element.prototype` attribute methods and `EventTarget.prototype.dispatchEvent`, for the private node. */
  setAttribute: (element: Element, name: string, value: string) => void;
  getAttribute: (element: Element, name: string) => string | null;
  removeAttribute: (element: Element, name: string) => void;
  /** Dispatches a plain event of `type` on `target` (listeners run before it returns). */
  dispatch: (target: EventTarget, type: string) => void;
  Response: typeof Response;
  ReadableStream: typeof ReadableStream;
  TextDecoder: typeof TextDecoder;
  Promise: PromiseConstructor;
  setTimeout: (callback: () => void, ms: number) => number;
  clearTimeout: (id: number) => void;
  randomUUID: () => string;
}

/** Captures the built-ins of `win` as they are now (call at document_start). */
export function captureBuiltins(win: Window & typeof globalThis): PageBuiltins {
  const apply = Reflect.apply;
  const fetch = win.fetch;
  const postMessage = win.MessagePort.prototype.postMessage;
  const dataGetter = Object.getOwnPropertyDescriptor(win.MessageEvent.prototype, 'data')!.get!;
  const parse = win.JSON.parse;
  const stringify = win.JSON.stringify;
  const json = win.JSON;
  const { setAttribute, getAttribute, removeAttribute } = win.Element.prototype;
  const dispatchEvent = win.EventTarget.prototype.dispatchEvent;
  const EventConstructor = win.Event;
  const construct = Reflect.construct;
  const setTimeout = win.setTimeout;
  const clearTimeout = win.clearTimeout;
  const randomUUID = win.crypto.randomUUID;
  const crypto = win.crypto;
  return {
    apply,
    fetch,
    postMessage: (port, message) => { apply(postMessage, port, [message]); },
    messageData: (event) => apply(dataGetter, event, []),
    parseJson: (text) => apply(parse, json, [text]),
    stringifyJson: (value) => apply(stringify, json, [value]) as string,
    setAttribute: (element, name, value) => { apply(setAttribute, element, [name, value]); },
    getAttribute: (element, name) => apply(getAttribute, element, [name]) as string | null,
    removeAttribute: (element, name) => { apply(removeAttribute, element, [name]); },
    dispatch: (target, type) => { apply(dispatchEvent, target, [construct(EventConstructor, [type])]); },
    Response: win.Response,
    ReadableStream: win.ReadableStream,
    TextDecoder: win.TextDecoder,
    Promise: win.Promise,
    setTimeout: (callback, ms) => apply(setTimeout, win, [callback, ms]) as unknown as number,
    clearTimeout: (id) => { apply(clearTimeout, win, [id]); },
    randomUUID: () => apply(randomUUID, crypto, []) as string,
  };
}
