/**
 * Who may push, and for which tenant. Loki itself does no authentication (a gateway does, loki.md
 * §1.4); this endpoint plays the gateway: with a token configured it takes `Authorization: Bearer
 * <token>` or HTTP basic auth whose password is the token (the user name is free, as with Grafana
 * Cloud, where it names the tenant).
 */
import { timingSafeEqual } from 'node:crypto';

const safeEqual = (given: string, want: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The user name and password of a basic Authorization header, if it is one. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whether an Authorization header carries the token, as a bearer token or as the basic-auth password. */
export function isAuthorized(header: string | undefined, token: string): boolean {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (bearer) return safeEqual(bearer[1]!, token);
  const basic = basicCredentials(header);
  return basic !== undefined && safeEqual(basic.password, token);
}

// dskit tenant.ValidTenantID: ASCII letters, digits and ! - _ . * ' ( ), at most 150 bytes, not . or ..
const TENANT_CHARS = /^[A-Za-z0-9!\-_.*'()]*$/;

/** dskit's tenant check: the error text for an invalid tenant id, or undefined. */
export function tenantError(id: string): string | undefined {
  if (!TENANT_CHARS.test(id)) {
    const bad = [...id].find((ch) => !TENANT_CHARS.test(ch)) ?? '';
    return `tenant ID '${id}' contains unsupported character '${bad}'`;
  }
  if (Buffer.byteLength(id) > 150) return 'tenant ID is too long: max 150 characters';
  if (id === '.' || id === '..') return "tenant ID is '.' or '..'";
  return undefined;
}

/** The tenant of a push: X-Scope-OrgID, else a valid basic-auth user name, else Loki's `fake`; or the 400 text. */
export function resolveTenant(orgId: string | undefined, authorization: string | undefined): { tenant: string } | { error: string } {
  if (orgId) {
    const ids = [...new Set(orgId.split('|'))];
    for (const id of ids) {
      const error = tenantError(id);
      if (error) return { error };
    }
    if (ids.length > 1) return { error: 'multiple org IDs present' };
    return { tenant: ids[0]! };
  }
  const user = basicCredentials(authorization)?.user ?? '';
  return { tenant: user && !tenantError(user) ? user : 'fake' };
}
