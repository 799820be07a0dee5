// Test double of NextChat v2.16: ids shaped like nanoid's (21 url-safe characters), as NextChat uses.

const ALPHABET = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';

export function nanoid(size = 21) {
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 63];
  return id;
}
