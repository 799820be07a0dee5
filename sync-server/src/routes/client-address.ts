import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client a request is counted against for rate limits: the configured proxy header's value
 * (for `x-forwarded-for`, its last entry, the one the proxy in front of the relay added; earlier
 * entries are whatever the client claimed), else the connection's address. IPv6 addresses count
 * per /64, since one host usually holds a whole /64. Requests without either (app.request() in
 * tests) share the key `local`.
 */
export function clientAddress(c: Context, header: string | null): string {
  let address: string | undefined;
  if (header) address = c.req.header(header)?.split(',').at(-1)?.trim();
  if (!address) {
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      address = undefined;
    }
  }
  if (!address) return 'local';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  return ipv6Prefix(address);
}

/** The first four groups (/64) of an IPv6 address, expanding `::`. */
function ipv6Prefix(address: string): string {
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
