import type { FanoutMessage } from '../rooms/hooks.ts';

/** Version byte at the start of every message between relay nodes. */
export const FANOUT_FORMAT_VERSION = 1;
/** Bytes of the sender's node id, which lets a node ignore its own messages. */
export const NODE_ID_BYTES = 16;

const KIND_CODES = { update: 1, awareness: 2, 'sync-request': 3, deleted: 4 } as const;
type WireKind = keyof typeof KIND_CODES;
const KIND_BY_CODE = new Map<number, WireKind>(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as WireKind]));

/** `[version, kind, nodeId(16), payload...]`: compact, binary, and versioned. */
export function encodeFanoutMessage(nodeId: Uint8Array, message: Exclude<FanoutMessage, { kind: 'reconnected' }>): Uint8Array {
  const payload = message.kind === 'deleted' ? new Uint8Array(0) : message.payload;
  const out = new Uint8Array(2 + NODE_ID_BYTES + payload.length);
  out[0] = FANOUT_FORMAT_VERSION;
  out[1] = KIND_CODES[message.kind];
  out.set(nodeId.subarray(0, NODE_ID_BYTES), 2);
  out.set(payload, 2 + NODE_ID_BYTES);
  return out;
}

/** Decodes a message from another node; null for an unknown version or kind (a newer node), which is skipped. */
export function decodeFanoutMessage(bytes: Uint8Array): { nodeId: Uint8Array; message: FanoutMessage } | null {
  if (bytes.length < 2 + NODE_ID_BYTES || bytes[0] !== FANOUT_FORMAT_VERSION) return null;
  const kind = KIND_BY_CODE.get(bytes[1] ?? -1);
  if (kind === undefined) return null;
  const nodeId = bytes.subarray(2, 2 + NODE_ID_BYTES);
  const payload = bytes.slice(2 + NODE_ID_BYTES);
  return { nodeId, message: kind === 'deleted' ? { kind } : { kind, payload } };
}

/** Byte-wise equality of two node ids. */
export function sameNode(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
