import { describe, expect, it } from 'vitest';
import { authorizationOf } from './request-auth.ts';

describe('authorizationOf', () => {
  it('reads the header however fetch was given it, whatever its case', () => {
    expect(authorizationOf({ 'Content-Type': 'application/json', Authorization: 'Bearer sk-1' })).toBe('Bearer sk-1');
    expect(authorizationOf({ authorization: 'Bearer nk-code' })).toBe('Bearer nk-code');
    expect(authorizationOf(new Headers({ AUTHORIZATION: 'Bearer sk-2' }))).toBe('Bearer sk-2');
    expect(authorizationOf([['accept', '*/*'], ['Authorization', 'Bearer sk-3']])).toBe('Bearer sk-3');
  });

  it('is null when there is none, or it is not text, or reading it throws', () => {
    expect(authorizationOf(undefined)).toBeNull();
    expect(authorizationOf({ 'x-api-key': 'sk-ant' })).toBeNull();
    expect(authorizationOf({ Authorization: 42 } as unknown as HeadersInit)).toBeNull();
    const trap = {};
    Object.defineProperty(trap, 'Authorization', { enumerable: true, get() { throw new Error('page getter'); } });
    expect(authorizationOf(trap)).toBeNull();
  });
});
