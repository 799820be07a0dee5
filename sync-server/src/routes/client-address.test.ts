import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

async function addressOf(headers: Record<string, string>, header: string | null): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, header)));
  return (await app.request('/', { headers })).text();
}

describe('clientAddress', () => {
  it('takes the last entry of the configured proxy header', async () => {
    expect(await addressOf({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }, 'x-forwarded-for')).toBe('203.0.113.7');
    expect(await addressOf({ 'x-forwarded-for': '6.6.6.6' }, null)).toBe('local');
  });

  it('counts IPv6 per /64 and unwraps IPv4-mapped addresses', async () => {
    expect(await addressOf({ 'x-ip': '2001:db8:1:2:aaaa::1' }, 'x-ip')).toBe('2001:db8:1:2::/64');
    expect(await addressOf({ 'x-ip': '2001:db8::1' }, 'x-ip')).toBe('2001:db8:0:0::/64');
    expect(await addressOf({ 'x-ip': '::ffff:192.0.2.1' }, 'x-ip')).toBe('192.0.2.1');
  });
});
