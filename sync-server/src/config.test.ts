import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';
import { DEFAULT_LIMITS, DEFAULT_PACK_LIMITS } from './limits.ts';

describe('readConfig', () => {
  it('defaults to SQLite under ./data on loopback with the default limits', () => {
    const config = readConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8787);
    expect(config.store).toEqual({ kind: 'sqlite', file: expect.stringMatching(/data[/\\]troupe\.sqlite$/) });
    expect(config.redis).toBeNull();
    expect(config.limits).toEqual(DEFAULT_LIMITS);
  });

  it('switches to Postgres + Redis with TROUPE_STORE=postgres and the two URLs', () => {
    const config = readConfig({ TROUPE_STORE: 'postgres', TROUPE_POSTGRES_URL: 'postgres://u@db/x', TROUPE_REDIS_URL: 'redis://cache:6379' });
    expect(config.store).toEqual({ kind: 'postgres', url: 'postgres://u@db/x', tablePrefix: 'troupe_' });
    expect(config.redis).toEqual({ url: 'redis://cache:6379', channelPrefix: 'troupe:room:' });
  });

  it('refuses incomplete or unknown store settings', () => {
    expect(() => readConfig({ TROUPE_STORE: 'postgres' })).toThrow(ConfigError);
    expect(() => readConfig({ TROUPE_STORE: 'mongo' })).toThrow(ConfigError);
  });

  it('lets limits be overridden and refuses nonsense values', () => {
    expect(readConfig({ TROUPE_MAX_ROOMS: '50', TROUPE_ROOM_IDLE_MS: '0' }).limits).toMatchObject({ maxRooms: 50, roomIdleMs: 0 });
    expect(() => readConfig({ TROUPE_MAX_FRAME_BYTES: 'lots' })).toThrow(ConfigError);
  });
});

describe('readConfig: packs', () => {
  it('serves packs by default with the default limits, and can turn them off', () => {
    expect(readConfig({}).packs).toEqual({ limits: DEFAULT_PACK_LIMITS, clientIpHeader: null });
    expect(readConfig({ TROUPE_PACKS: 'off' }).packs).toBeNull();
    expect(() => readConfig({ TROUPE_PACKS: 'maybe' })).toThrow(ConfigError);
  });

  it('reads pack limits and the client address header', () => {
    const packs = readConfig({ TROUPE_PACK_FETCHES_PER_MINUTE: '10', TROUPE_CLIENT_IP_HEADER: 'X-Forwarded-For' }).packs;
    expect(packs?.limits.fetchesPerMinute).toBe(10);
    expect(packs?.clientIpHeader).toBe('x-forwarded-for');
    expect(() => readConfig({ TROUPE_CLIENT_IP_HEADER: 'bad header' })).toThrow(ConfigError);
    expect(() => readConfig({ TROUPE_MAX_PACK_BYTES: String(2 * DEFAULT_PACK_LIMITS.uploadBytesBurst) })).toThrow(/UPLOAD_BYTES_BURST/);
  });
});
