import { describe, expect, it } from 'vitest';
import { isAuthorized, resolveTenant } from './auth.js';

const TOKEN = 'a-token-of-16-chars';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('isAuthorized', () => {
  it.each([
    [`Bearer ${TOKEN}`, true],
    [`bearer ${TOKEN}`, true],
    [basic('12345', TOKEN), true],
    [basic('', TOKEN), true],
    [basic(TOKEN, 'x'), false],
    ['Bearer wrong-token-of-16-ch', false],
    [`Token ${TOKEN}`, false],
    [undefined, false],
  ])('%s → %s', (header, ok) => {
    expect(isAuthorized(header, TOKEN)).toBe(ok);
  });
});

describe('resolveTenant', () => {
  it('takes X-Scope-OrgID first, then the basic-auth user, then fake', () => {
    expect(resolveTenant('team-a', basic('123', TOKEN))).toEqual({ tenant: 'team-a' });
    expect(resolveTenant(undefined, basic('123', TOKEN))).toEqual({ tenant: '123' });
    expect(resolveTenant(undefined, basic('no spaces please', TOKEN))).toEqual({ tenant: 'fake' });
    expect(resolveTenant(undefined, `Bearer ${TOKEN}`)).toEqual({ tenant: 'fake' });
  });

  it.each([
    ['a b', "tenant ID 'a b' contains unsupported character ' '"],
    ['x'.repeat(151), 'tenant ID is too long: max 150 characters'],
    ['..', "tenant ID is '.' or '..'"],
    ['a|b', 'multiple org IDs present'],
  ])('refuses the tenant %j as dskit does', (orgId, error) => {
    expect(resolveTenant(orgId, undefined)).toEqual({ error });
  });

  it('accepts a repeated tenant as one', () => {
    expect(resolveTenant('a|a', undefined)).toEqual({ tenant: 'a' });
  });
});
