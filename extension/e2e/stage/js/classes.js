// Test double of NextChat v2.16 (ChatGPTNextWeb/NextChat), written for Troupe's end-to-end tests.
// NextChat's CSS-module class names look like `chat_chat-body__QFv5x`: <module>_<name>__<5-char hash>.
// The stage builds the same names with its OWN hash, so code that matches on the stable prefix passes
// and code that copied a hash from a real build fails.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const SALT = 'troupe-stage-v1';
const cache = new Map();

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function hash5(text) {
  // Five base64url digits, each from its own FNV-1a hash: stable across loads, unlike a random suffix.
  let out = '';
  for (let i = 0; i < 5; i++) out += ALPHABET[fnv1a(`${i}:${text}`) & 63];
  return out;
}

/** `cls('chat', 'chat-body')` -> `chat_chat-body__<hash>`, like a NextChat CSS-module class. */
export function cls(module, name) {
  const key = `${module}/${name}`;
  let value = cache.get(key);
  if (!value) {
    value = `${module}_${name}__${hash5(SALT + key)}`;
    cache.set(key, value);
  }
  return value;
}

/** Several CSS-module classes plus plain ones: `cx(['chat', 'chat-input-send'], 'clickable')`. */
export function cx(...parts) {
  return parts
    .filter(Boolean)
    .map((p) => (Array.isArray(p) ? cls(p[0], p[1]) : p))
    .join(' ');
}
