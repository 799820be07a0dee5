import { MAX_ANY_DEPTH } from '../limits.ts';
import { BinaryReader, malformed } from './binary-reader.ts';

/**
 * Checks that bytes are a well-formed Yjs v1 update (structs per client, then the delete set, and
 * nothing after) without building any structs. Yjs trusts counts in an update and pre-allocates
 * arrays from them, so a 40-byte garbage frame can cost it hundreds of milliseconds and hundreds of
 * megabytes; this pass rejects such frames in time linear in their size before Yjs sees them. It
 * checks structure only and allocates nothing: what Yjs can refuse cheaply by itself (bad JSON in
 * an embed, say) is left to Yjs, whose refusal closes the connection the same way.
 */
export function checkUpdateV1(update: Uint8Array): void {
  const r = new BinaryReader(update);
  const clients = r.count();
  for (let c = 0; c < clients; c++) {
    const structs = r.count();
    r.varUint(); // client id
    r.varUint(); // first clock
    for (let s = 0; s < structs; s++) readStruct(r);
  }
  readDeleteSet(r);
  r.end();
}

/** Checks an encoded state vector: pairs of (client id, clock) and nothing after. */
export function checkStateVector(stateVector: Uint8Array): void {
  const r = new BinaryReader(stateVector);
  const entries = r.count();
  for (let i = 0; i < entries; i++) {
    r.varUint();
    r.varUint();
  }
  r.end();
}

const CONTENT_GC = 0;
const CONTENT_SKIP = 10;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const XML_ELEMENT = 3;
const XML_HOOK = 5;
const LAST_TYPE_REF = 6;

function readStruct(r: BinaryReader): void {
  const info = r.uint8();
  const content = info & 0x1f;
  if (content === CONTENT_GC || content === CONTENT_SKIP) {
    r.varUint(); // length
    return;
  }
  if (info & HAS_ORIGIN) readId(r);
  if (info & HAS_RIGHT_ORIGIN) readId(r);
  if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
    if (r.varUint() === 1) r.skipVarBytes(); // parent is a root type, by name
    else readId(r); // parent is an item
    if (info & HAS_PARENT_SUB) r.skipVarBytes();
  }
  readContent(r, content);
}

function readId(r: BinaryReader): void {
  r.varUint();
  r.varUint();
}

function readContent(r: BinaryReader, content: number): void {
  switch (content) {
    case 1: // deleted: a length
      r.varUint();
      return;
    case 2: {
      // JSON: a list of JSON texts
      const n = r.count();
      for (let i = 0; i < n; i++) r.skipVarBytes();
      return;
    }
    case 3: // binary
    case 4: // string
    case 5: // embed (JSON text)
      r.skipVarBytes();
      return;
    case 6: // format: key, JSON value
      r.skipVarBytes();
      r.skipVarBytes();
      return;
    case 7: {
      const typeRef = r.varUint();
      if (typeRef > LAST_TYPE_REF) throw malformed('unknown type ref');
      if (typeRef === XML_ELEMENT || typeRef === XML_HOOK) r.skipVarBytes();
      return;
    }
    case 8: {
      const n = r.count();
      for (let i = 0; i < n; i++) readAny(r, 0);
      return;
    }
    case 9: // subdocument: guid, options
      r.skipVarBytes();
      readAny(r, 0);
      return;
    default:
      throw malformed('unknown content type');
  }
}

function readAny(r: BinaryReader, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw malformed('value nested too deeply');
  const tag = r.uint8();
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125:
      r.varInt();
      return;
    case 124:
      r.skip(4);
      return;
    case 123: // float64
    case 122: // bigint64
      r.skip(8);
      return;
    case 119: // string
      r.skipVarBytes();
      return;
    case 118: {
      const n = r.count();
      for (let i = 0; i < n; i++) {
        r.skipVarBytes(); // key
        readAny(r, depth + 1);
      }
      return;
    }
    case 117: {
      const n = r.count();
      for (let i = 0; i < n; i++) readAny(r, depth + 1);
      return;
    }
    case 116:
      r.skipVarBytes();
      return;
    default:
      throw malformed('unknown value tag');
  }
}

function readDeleteSet(r: BinaryReader): void {
  const clients = r.count();
  for (let c = 0; c < clients; c++) {
    r.varUint(); // client id
    const ranges = r.count();
    for (let i = 0; i < ranges; i++) {
      r.varUint(); // clock
      r.varUint(); // length
    }
  }
}
