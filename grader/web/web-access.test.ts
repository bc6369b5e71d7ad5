import { describe, expect, it } from 'vitest';
import { csrfToken, csrfValid, readCookie, sessionCookie, wellFormedSecret } from './web-access.ts';

describe('web access', () => {
  it('the session cookie is HttpOnly and SameSite=Strict, Secure behind https', () => {
    expect(sessionCookie('b.abc', false)).toBe('rlg_session=b.abc; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('b.abc', true)).toMatch(/; Secure$/);
  });

  it('reads one cookie among others, and nothing from a look-alike name', () => {
    expect(readCookie('a=1; rlg_session=s.xyz; b=2', 'rlg_session')).toBe('s.xyz');
    expect(readCookie('xrlg_session=s.xyz', 'rlg_session')).toBeUndefined();
    expect(readCookie(undefined, 'rlg_session')).toBeUndefined();
  });

  it('only secrets of the store\'s shape are looked up', () => {
    expect(wellFormedSecret('A'.repeat(43))).toBe(true);
    expect(wellFormedSecret("x' OR 1=1 --")).toBe(false);
    expect(wellFormedSecret('short')).toBe(false);
    expect(wellFormedSecret(null)).toBe(false);
  });

  it('a CSRF field is valid for its session and key only', () => {
    const key = Buffer.alloc(32, 7);
    const token = csrfToken(key, 'b.secret');
    expect(csrfValid(key, 'b.secret', token)).toBe(true);
    expect(csrfValid(key, 's.token', token)).toBe(false);
    expect(csrfValid(Buffer.alloc(32, 8), 'b.secret', token)).toBe(false);
    expect(csrfValid(key, 'b.secret', undefined)).toBe(false);
    expect(csrfValid(key, 'b.secret', `${token}x`)).toBe(false);
  });
});
