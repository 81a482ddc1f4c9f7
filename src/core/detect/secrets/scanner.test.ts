import { describe, expect, it } from 'vitest';
import { createSecretScanner, MAX_SCAN_CHARS } from './scanner.js';

// Test secrets are generated at run time (deterministic PRNG): no realistic secret literal is
// committed for push protection or scanners to trip on.
let state = 0x1b873593;
function fake(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = ALNUM + '+/';
const ghp = () => 'ghp_' + fake(ALNUM, 36);
const AWS_DOC_KEY = 'AKIA' + 'IOSFODNN7EXAMPLE';
const GENERIC_VALUE = 'q8Zt3LmV9x' + 'R2pK7wN4sJ';

const KEY = Buffer.from('scanner-test-key');
const scanner = createSecretScanner({ key: KEY });
const kinds = (text: string) => scanner.findSecrets(text).map((m) => m.kind);

/** Source-like text with keywords everywhere and no secret, `size` characters long. */
function sourceText(size: number): string {
  const lines = [
    "import { createHash } from 'node:crypto';",
    'const apiKey = process.env.API_KEY ?? "";',
    'export function authorize(token: string, key: string): boolean {',
    '  if (!token) throw new Error("missing token: set API_TOKEN");',
    '  const password = config.get("db.password"); // password = process.env.DB_PASSWORD',
    '  return createHash("sha256").update(key).digest("hex") === token.secretHash;',
    '}',
    '// See https://docs.example.com/auth/tokens#rotation for the access key policy.',
    'const headers = { Authorization: `Bearer ${token}`, "X-Api-Key": apiKey };',
    'secret_name = prod-db-credentials-2024',
    'fetch(`https://api.example.com/v1/items?page=${page}`).then((r) => r.json());',
  ];
  let out = '';
  for (let i = 0; out.length < size; i++) out += lines[i % lines.length] + '\n';
  return out.slice(0, size);
}

describe('catalogue examples (AGT-SECRET-001..004)', () => {
  it.each([
    ['a GitHub token pasted into a prompt', `deploy with token ${ghp()}`, ['github-pat']],
    ['the AWS documentation key in a prompt', `my key is ${AWS_DOC_KEY}`, ['aws-access-token']],
    ['a generic api_key assignment in a prompt', `api_key = "${GENERIC_VALUE}"`, ['generic-api-key']],
    ['a GitHub token in a curl header', `curl -H "Authorization: token ${ghp()}" https://api.github.com/user`, ['github-pat']],
    ['the AWS documentation key in a web search', `${AWS_DOC_KEY} leaked key lookup`, ['aws-access-token']],
    ['a GitHub token in a fetched URL', `https://x.example/?k=${ghp()}`, ['github-pat']],
    ['a GitHub token hard-coded in a source file', `export const token = "${ghp()}";`, ['github-pat']],
    ['the AWS documentation key written into a deploy script', `KEY=${AWS_DOC_KEY}`, ['aws-access-token']],
    ['a private key in a Read output', `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake(B64, 70)}\n${fake(B64, 70)}\n-----END OPENSSH PRIVATE KEY-----\n`, ['private-key']],
  ])('finds %s', (_name, text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  it.each([
    'use the GITHUB_TOKEN env var',
    'password = process.env.DB_PASSWORD',
    'fix the login form',
    'Authorization: token $GITHUB_TOKEN',
    'curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user',
    'how to rotate aws access keys',
    'export const token = process.env.TOKEN;',
    'const key = process.env.API_KEY',
  ])('stays silent on %j', (text) => {
    expect(scanner.findSecrets(text)).toEqual([]);
  });
});

describe('findSecrets', () => {
  it('returns the span of the secret itself, not of its keyword', () => {
    const text = `api_key = "${GENERIC_VALUE}"`;
    const [m] = scanner.findSecrets(text);
    expect(text.slice(m!.start, m!.end)).toBe(GENERIC_VALUE);
    expect(m!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('prefers the specific kind over the generic rule on the same value', () => {
    const token = ghp();
    const text = `GITHUB_TOKEN=${token}`;
    expect(scanner.findSecrets(text)).toEqual([expect.objectContaining({ kind: 'github-pat', start: 13, end: 13 + token.length })]);
  });

  it('prefers the longer of two overlapping specific matches', () => {
    const token = 'glpat-' + fake(ALNUM, 40) + '.01' + fake('abcdefghijklmnopqrstuvwxyz0123456789', 7);
    expect(kinds(`token: ${token}`)).toEqual(['gitlab-pat-routable']);
  });

  it('returns every secret of a text, sorted by start', () => {
    const text = `a ${ghp()} b ${AWS_DOC_KEY} c api_key = "${GENERIC_VALUE}" d ${ghp()}`;
    const matches = scanner.findSecrets(text);
    expect(matches.map((m) => m.kind)).toEqual(['github-pat', 'aws-access-token', 'generic-api-key', 'github-pat']);
    expect(matches.map((m) => m.start)).toEqual([...matches.map((m) => m.start)].sort((a, b) => a - b));
  });

  it('gives the same secret the same fingerprint, wherever it appears', () => {
    const token = ghp();
    const [a] = scanner.findSecrets(`token ${token}`);
    const [b] = scanner.findSecrets(`curl -H "Authorization: token ${token}"`);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(scanner.findSecrets(`x ${ghp()}`)[0]!.fingerprint).not.toBe(a!.fingerprint);
  });

  it('gives a different fingerprint under a different key', () => {
    const text = `token ${ghp()}`;
    const other = createSecretScanner({ key: Buffer.from('another-installation') });
    expect(other.findSecrets(text)[0]!.fingerprint).not.toBe(scanner.findSecrets(text)[0]!.fingerprint);
  });

  it('spans a whole PEM block, header to END line', () => {
    const block = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${fake('0123456789ABCDEF', 32)}\n\n${fake(B64, 64)}\n${fake(B64, 64)}\n-----END RSA PRIVATE KEY-----`;
    const text = `$ cat key.pem\n${block}\n$ `;
    const [m] = scanner.findSecrets(text);
    expect(m!.kind).toBe('private-key');
    expect(text.slice(m!.start, m!.end)).toBe(block);
  });

  it('finds a truncated private key (no END line) and a JSON-escaped one', () => {
    const head = `-----BEGIN PRIVATE KEY-----\n${fake(B64, 64)}\n${fake(B64, 64)}`;
    const [truncated] = scanner.findSecrets(`$ head -3 key.pem\n${head}\n`);
    expect(truncated).toMatchObject({ kind: 'private-key', start: 18, end: 18 + head.length });
    const escaped = JSON.stringify({ key: `-----BEGIN EC PRIVATE KEY-----\n${fake(B64, 64)}\n${fake(B64, 20)}\n-----END EC PRIVATE KEY-----\n` });
    const [m] = scanner.findSecrets(escaped);
    expect(m!.kind).toBe('private-key');
    expect(escaped.slice(m!.start, m!.end)).toMatch(/^-----BEGIN EC PRIVATE KEY-----\\n.*-----END EC PRIVATE KEY-----$/);
  });

  it('fires the generic rule on random values of 32 or more characters', () => {
    // Shorter values may fall under the entropy gate (hex especially: 16 symbols give at most 4
    // bits) or be letters only, which gitleaks' generic rule drops too.
    const alphabets = [ALNUM, 'abcdefghijklmnopqrstuvwxyz0123456789', ALNUM + '_-', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
    let missed = 0;
    let total = 0;
    for (const alphabet of alphabets) {
      for (const n of [32, 40, 64]) {
        for (let i = 0; i < 25; i++) {
          total++;
          if (kinds(`client_secret = "${fake(alphabet, n)}"`).length !== 1) missed++;
        }
      }
    }
    for (let i = 0; i < 25; i++, total++) if (kinds(`client_secret = "${fake('0123456789abcdef', 64)}"`).length !== 1) missed++;
    expect(missed / total).toBeLessThan(0.01);
  });

  it('returns [] for 1 MiB of source code without secrets', () => {
    expect(scanner.findSecrets(sourceText(MAX_SCAN_CHARS))).toEqual([]);
  });

  it('scans only the first MAX_SCAN_CHARS of a string', () => {
    const filler = sourceText(MAX_SCAN_CHARS - 100);
    expect(kinds(`${filler} ${ghp()} `)).toEqual(['github-pat']);
    expect(kinds(`${filler}${' '.repeat(200)}${ghp()}`)).toEqual([]);
  });

  it('does not throw on lone surrogates and still finds the secret next to them', () => {
    const token = ghp();
    const text = `\ud800 token ${token} \udfff\ud83d`;
    expect(() => scanner.findSecrets(text)).not.toThrow();
    expect(kinds(text)).toEqual(['github-pat']);
    expect(() => scanner.redactText(`api_key = "${GENERIC_VALUE}\ud800"`)).not.toThrow();
  });

  it('returns [] for the empty string', () => {
    expect(scanner.findSecrets('')).toEqual([]);
  });
});

describe('allowlist', () => {
  it('drops a match by fingerprint', () => {
    const known = ghp();
    const fp = scanner.findSecrets(known)[0]!.fingerprint;
    const allowing = createSecretScanner({ key: KEY, allow: { fingerprints: [fp] } });
    const other = ghp();
    expect(allowing.findSecrets(`${known} and ${other}`).map((m) => m.fingerprint)).toEqual([scanner.findSecrets(other)[0]!.fingerprint]);
  });

  it('drops a match by exact value', () => {
    const allowing = createSecretScanner({ key: KEY, allow: { values: [AWS_DOC_KEY] } });
    expect(allowing.findSecrets(`my key is ${AWS_DOC_KEY}`)).toEqual([]);
    expect(allowing.redactText(`KEY=${AWS_DOC_KEY}`).text).toBe(`KEY=${AWS_DOC_KEY}`);
  });
});

describe('redactText', () => {
  it('replaces only the secret span with its kind and fingerprint', () => {
    const token = ghp();
    const { text, matches } = scanner.redactText(`curl -H "Authorization: token ${token}" https://api.github.com/user`);
    expect(text).toBe(`curl -H "Authorization: token [REDACTED:github-pat:${matches[0]!.fingerprint}]" https://api.github.com/user`);
    expect(text).not.toContain(token.slice(4));
  });

  it('leaves no secret substring behind and is stable when run again', () => {
    const secrets = [ghp(), AWS_DOC_KEY, 'sk_live_' + fake(ALNUM, 24), fake(ALNUM, 16)];
    const input = `GH=${secrets[0]}\naws ${secrets[1]}\nstripe: ${secrets[2]}\nDATABASE_URL=postgres://app:${secrets[3]}@db:5432/x\n`;
    const once = scanner.redactText(input);
    expect(once.matches.map((m) => m.kind)).toEqual(['github-pat', 'aws-access-token', 'stripe-access-token', 'password-in-url']);
    for (const secret of secrets) expect(once.text).not.toContain(secret);
    const twice = scanner.redactText(once.text);
    expect(twice).toEqual({ text: once.text, matches: [] });
  });

  it('redacts generic matches only with redactKinds "all", but reports them either way', () => {
    const input = `api_key = "${GENERIC_VALUE}"`;
    const known = scanner.redactText(input);
    expect(known.text).toBe(input);
    expect(known.matches.map((m) => m.kind)).toEqual(['generic-api-key']);
    const all = createSecretScanner({ key: KEY, redactKinds: 'all' }).redactText(input);
    expect(all.text).toBe(`api_key = "[REDACTED:generic-api-key:${known.matches[0]!.fingerprint}]"`);
  });

  it('returns the same string when there is nothing to redact', () => {
    const input = sourceText(4096);
    expect(scanner.redactText(input)).toEqual({ text: input, matches: [] });
  });

  it('keeps the unscanned tail of a string longer than MAX_SCAN_CHARS', () => {
    const token = ghp();
    const input = `${token} ${'x'.repeat(MAX_SCAN_CHARS)} tail`;
    const { text } = scanner.redactText(input);
    expect(text.startsWith('[REDACTED:github-pat:')).toBe(true);
    expect(text.endsWith(' tail')).toBe(true);
    expect(text).not.toContain(token);
  });
});

describe('redactValue', () => {
  it('redacts strings at any depth and shares what did not change', () => {
    const token = ghp();
    const untouched = { path: 'src/index.ts', lines: [1, 2, 3] };
    const input = { tool_input: { command: `git push https://x:${token}@github.com/o/r`, meta: untouched }, list: ['ok', [`token ${token}`]], n: 1, flag: true, none: null };
    const snapshot = structuredClone(input);
    const { value, matches } = scanner.redactValue(input);
    expect(input).toEqual(snapshot);
    expect(JSON.stringify(value)).not.toContain(token);
    expect(value.tool_input.meta).toBe(untouched);
    expect(value.list[0]).toBe('ok');
    expect(value.n).toBe(1);
    expect(matches.map((m) => m.kind)).toEqual(['github-pat', 'github-pat']);
    expect(new Set(matches.map((m) => m.fingerprint)).size).toBe(1);
  });

  it('returns the very same value when nothing is redacted', () => {
    const input = { a: ['x', { b: 'password = process.env.DB_PASSWORD' }] };
    const { value, matches } = scanner.redactValue(input);
    expect(value).toBe(input);
    expect(matches).toEqual([]);
  });

  it('leaves keys, non-plain objects and non-strings alone', () => {
    const token = ghp();
    const date = new Date(0);
    const input = { [token]: 'key holds the secret', when: date, map: new Map([['k', token]]) };
    const { value } = scanner.redactValue(input);
    expect(value).toBe(input);
  });

  it('redacts a plain string and passes other primitives through', () => {
    const token = ghp();
    expect(scanner.redactValue(`t ${token}`).value).not.toContain(token);
    expect(scanner.redactValue(42).value).toBe(42);
    expect(scanner.redactValue(undefined).value).toBeUndefined();
  });

  it('keeps a __proto__ key an own property and redacts it', () => {
    const token = ghp();
    const input = JSON.parse(`{"__proto__": "token ${token}", "other": 1}`) as Record<string, unknown>;
    const { value } = scanner.redactValue(input);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(String(value['__proto__'])).toMatch(/^token \[REDACTED:github-pat:[0-9a-f]{16}\]$/);
  });

  it('survives deep nesting and cycles', () => {
    const token = ghp();
    let deep: unknown = `token ${token}`;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { value: redactedDeep } = scanner.redactValue(deep);
    let inner: unknown = redactedDeep;
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toMatch(/^token \[REDACTED:github-pat:/);

    const cyclic: Record<string, unknown> = { secret: `token ${token}` };
    cyclic.self = cyclic;
    const { value } = scanner.redactValue(cyclic);
    expect(value.secret).not.toContain(token);
    expect(cyclic.secret).toContain(token);
  });
});

describe('cost (sanity, no timing assertions)', () => {
  it('scans a 300-character command and 1 MiB of source code', () => {
    const command = `cd /work/app && git log --oneline -n 20 -- src | head -20 && npx vitest run src/core --reporter=dot 2>&1 | tail -30; curl -s https://api.example.com/v1/items?page=2 -H "Accept: application/json" | jq '.items[] | {id, name}' > /tmp/items.json`.slice(0, 300);
    for (let i = 0; i < 1000; i++) expect(scanner.findSecrets(command)).toEqual([]);
    const source = sourceText(MAX_SCAN_CHARS);
    for (let i = 0; i < 3; i++) expect(scanner.findSecrets(source)).toEqual([]);
  });
});
