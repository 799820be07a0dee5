import { describe, expect, it } from 'vitest';
import { isValidRoomName } from './room-name.ts';

describe('room names', () => {
  it('accept base64url strings such as an HMAC-SHA256 digest', () => {
    expect(isValidRoomName('q5Vb8yF3R3yq0N2H0wq0mC2cMqk6Dq1n0xwJ1e5bG7M')).toBe(true);
  });

  it('reject anything that could escape a path, channel or SQL value', () => {
    for (const bad of ['', 'short', '../../etc/passwd', 'room name', 'a'.repeat(129), 'room%2Fx', 'ünïcode-room']) {
      expect(isValidRoomName(bad)).toBe(false);
    }
  });
});
