import { UserError } from '../errors.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `30s`, `15m`, `2h`, `7d`, `1w` (before now) or an ISO 8601 time into epoch ms. */
export function parseSince(value: string, nowMs: number): number {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (m) return nowMs - Number(m[1]) * (UNITS[m[2]!] ?? 0);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UserError(`"${value}" is neither a duration (30s, 15m, 2h, 7d, 1w) nor an ISO 8601 time.`, 'BAD_TIME');
  return t;
}

/** Parses a positive whole number option. */
export function parsePositiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${name} must be a whole number above 0, not "${value}".`, 'BAD_NUMBER');
  return n;
}
