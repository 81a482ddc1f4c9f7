/**
 * The secret detector table: JavaScript ports of gitleaks' `config/gitleaks.toml` rules (same ids,
 * keywords and entropy thresholds), plus a few formats gitleaks does not cover (marked "own").
 *
 * Porting rules, applied to every entry:
 * - Every regex is compiled with the `g` (find all), `d` (capture-group offsets) and `u` flags.
 *   `u` turns RE2-isms that JavaScript would silently misread into compile errors (`\z` is the
 *   letter z in non-`u` regexes); patterns.test.ts compiles and checks all of them.
 * - RE2's leading `(?i)` became the `i` flag. Scoped `(?i:…)`/`(?-i:…)` throw on Node 20, so
 *   where gitleaks mixes cases (`telegram-bot-api-token`, `hashicorp-tf-api-token`, `doppler`…)
 *   the case-insensitive parts are spelled out as character classes.
 * - gitleaks' leading `[\w.-]{0,50}?` (the identifier before a keyword) is dropped: it only widens
 *   the match, and scanning it at every position costs more than the rest of the regex. The
 *   generic rule looks at that identifier in code instead.
 * - gitleaks' trailing `(?:[\x60'"\s;]|\\[nr]|$)` is a lookahead here (END), so the match ends with
 *   the secret and adjacent secrets are not swallowed.
 * - Unbounded repeats that could backtrack over long runs got generous upper bounds (JWT parts,
 *   base64 bodies). Nothing nests quantifiers over overlapping classes.
 * - Token formats are case-sensitive even where gitleaks wraps them in `(?i)`: the prefixes are
 *   lowercase in practice and the bodies use explicit `[A-Za-z0-9]` classes. Besides, V8 cannot
 *   search for the literal after a leading `\b` under the `i` flag and then tries every position
 *   (ten times slower on large texts), so no pattern combines the two.
 */

/** A half-open span [start, end) of text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One secret detector. */
export interface SecretPattern {
  /** Detector id (gitleaks' rule id where there is one): becomes SecretMatch.kind. */
  readonly id: string;
  /** Compiled with the g, d and u flags (and i where gitleaks has a leading `(?i)`). */
  readonly regex: RegExp;
  /** Lowercase substrings: the regex only runs when the lowercased text contains one of them. */
  readonly keywords: readonly string[];
  /** Capture group holding the secret; default: the first group that took part, else the match. */
  readonly secretGroup?: number;
  /** Minimum Shannon entropy (bits per char) of the secret. */
  readonly entropy?: number;
  /** True for a specific token format; false for generic or heuristic matches. */
  readonly known: boolean;
  /** Further checks on a hit: returns the secret's span (possibly moved), or null to drop the hit. */
  readonly refine?: (match: RegExpExecArray, text: string, span: Span) => Span | null;
}

/** gitleaks' secret suffix, as a lookahead: a quote, backtick, space, `;`, an escaped \n or \r, or the end. */
const END = String.raw`(?=[\x60'"\s;]|\\[nr]|$)`;
/** gitleaks' "keyword … operator … quotes" glue between a keyword and its value, kept on one line. */
const ASSIGN = String.raw`[ \t\w.-]{0,20}[ \t'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'" \t=]{0,5}`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * `source` matched atomically, as capture group `group` (JavaScript has no atomic groups or
 * possessive quantifiers; a lookahead does not backtrack into its match). Used where no shorter
 * match could succeed anyway, so that a failing suffix costs one try instead of one per length.
 */
function atomic(source: string, group: number): string {
  return `(?=(${source}))\\${group}`;
}

function rx(source: string, flags = ''): RegExp {
  return new RegExp(source, `gdu${flags}`);
}

/** gitleaks' keyed rule shape: `<keyword>… = <secret>`, case-insensitive. */
function keyed(keywords: string, secret: string): RegExp {
  return rx(`(?:${keywords})${ASSIGN}(${secret})${END}`, 'i');
}

// ---------------------------------------------------------------------------------------------
// Private keys: the header is found by regex, the block is walked in code (see pemBlock).

const PEM_END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/iuy;
/** Characters a PEM body (base64 lines, RFC 1421 headers, JSON-escaped newlines) is made of. */
const PEM_BODY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=:,.\\ \t\r\n') PEM_BODY_CHAR[c.charCodeAt(0)] = 1;
const BASE64_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') BASE64_CHAR[c.charCodeAt(0)] = 1;

/**
 * Extends a `-----BEGIN … PRIVATE KEY-----` header over its body and END line. The body is walked
 * once per header and stops at the next `-----`, so many headers without ENDs stay linear (a
 * lazy `[\s\S]*?END` regex would rescan the rest of the text from every header). A block without
 * an END line (a truncated key) ends with its body. A header that is only mentioned (no base64
 * run of at least 40 characters after it) is not a key.
 */
function pemBlock(match: RegExpExecArray, text: string): Span | null {
  const headerEnd = match.index + match[0].length;
  let i = headerEnd;
  let run = 0;
  let longestRun = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && PEM_BODY_CHAR[c] === 1) {
      run = BASE64_CHAR[c] === 1 ? run + 1 : 0;
      if (run > longestRun) longestRun = run;
    } else if (c === 45 && !text.startsWith('-----', i)) {
      run = 0;
    } else {
      break;
    }
  }
  if (longestRun < 40) return null;
  PEM_END.lastIndex = i;
  const tail = PEM_END.exec(text);
  if (tail) return { start: match.index, end: i + tail[0].length };
  let end = i;
  for (;;) {
    if (end > headerEnd && /\s/u.test(text[end - 1]!)) end--;
    else if (end - 2 > headerEnd && text[end - 2] === '\\' && (text[end - 1] === 'n' || text[end - 1] === 'r')) end -= 2;
    else break;
  }
  return { start: match.index, end };
}

/** Extends a `.atlasv1.…` hit back over the 14 alphanumerics that start a Terraform API token. */
function terraformToken(match: RegExpExecArray, text: string): Span | null {
  const start = match.index - 14;
  if (start < 0 || !/^[a-zA-Z0-9]{14}$/u.test(text.slice(start, match.index))) return null;
  return { start, end: match.index + match[0].length };
}

// ---------------------------------------------------------------------------------------------
// Passwords in URLs (own): scheme://user:password@host.

const PLACEHOLDER_PASSWORDS = new Set([
  'admin', 'anonymous', 'apikey', 'api_key', 'bar', 'changeit', 'changeme', 'change_me', 'default', 'demo', 'example', 'foo',
  'guest', 'letmein', 'mongo', 'mypassword', 'mysql', 'pass', 'passw0rd', 'passwd', 'password', 'postgres', 'pw', 'pwd',
  'rabbitmq', 'redis', 'root', 'secret', 'test', 'token', 'user', 'username',
]);

function urlPassword(match: RegExpExecArray, _text: string, span: Span): Span | null {
  const user = match[1] ?? '';
  const password = match[2] ?? '';
  const lower = password.toLowerCase();
  // Documentation writes `https://abc:xyz@example.com`; a real password is rarely under 6 characters.
  if (password.length < 6 || PLACEHOLDER_PASSWORDS.has(lower) || lower === user.toLowerCase()) return null;
  if (/^(?:x+|\*+|\.+|_+|-+|#+)$/iu.test(password)) return null;
  if (/^(?:\$\(|\$\w|%\w+%$|`)/u.test(password)) return null; // $VAR, $(cmd), %VAR%, `cmd`
  if (/your|example|placeholder|changeme|redacted|password/iu.test(password)) return null;
  return span;
}

// ---------------------------------------------------------------------------------------------
// generic-api-key: keyword, operator, value; gated at entropy 3.5 and by the checks below.

/**
 * gitleaks' match allowlist for generic-api-key, applied to the key side (identifier, keyword,
 * operator): names that contain a keyword but do not hold a secret. `(?-i:[DdMm]onkey|[DM]ONKEY)`
 * lost its case-sensitivity; the env-file alternative does not apply (values stay on one line).
 */
const GENERIC_KEY_ALLOW =
  /access(?:ibility|or)|access[_.-]?id|random[_.-]?access|api[_.-]?(?:id|name|version)|rapid|capital|[a-z0-9-]*?api[a-z0-9-]*?:jar:|author|X-MS-Exchange-Organization-Auth|Authentication-Results|credentials?[_.-]?id|withCredentials|(?:bucket|foreign|hot|idx|natural|primary|pub(?:lic)?|schema|sequence)[_.-]?key|turkey|key[_.-]?(?:alias|board|code|frame|id|length|mesh|name|pair|press(?:ed)?|ring|selector|signature|size|stone|storetype|word|up|down|left|right)|key[_.-]?vault[_.-]?(?:id|name)|keyVaultToStoreSecrets|key(?:store|tab)[_.-]?(?:file|path)|issuerkeyhash|[dm]onkey|keying|secret[_.-]?(?:length|name|size)|UserSecretsId|csrf[_.-]?token|io\.jsonwebtoken[ \t]?:[ \t]?[\w-]+|(?:api|credentials|token)[_.-]?(?:endpoint|ur[il])|public[_.-]?token|(?:key|token)[_.-]?file/iu;

/** Placeholder words: a value containing one is an example, not a secret. */
const GENERIC_STOPWORDS = /example|sample|placeholder|changeme|change_me|change-me|dummy|redacted|xxxxx|your[_-]|yourkey|insert[_-]|replace[_-]?me|0123456|123456789|abcdefgh|qwerty/iu;
const IDENTIFIER_TOKEN = /[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|\d+|[A-Z]/gu;

/**
 * The 243 letter pairs that make up 97% of the pairs in words and identifiers (measured over the
 * READMEs and type declarations of npm packages). A random letter pair is one of them 36% of the
 * time; a run of random letters rarely has 80% of its pairs here, a word usually does.
 */
const COMMON_BIGRAMS = new Set(
  (
    'ab ac ad ag ai al am an ap ar as at au av ay ba be bi bj bl bo bu ca ce ch ci ck cl co cr cs ct cu da db dd de di dl dn ' +
    'do ds du ea eb ec ed ee ef eg el em en ep eq er es et ev ew ex ey fa fe ff fi fl fo fr fu ge gh gi gl gn gr gs ha he hi ' +
    'ho ht ia ib ic id ie if ig il im in io ip ir is it iv iz je ke ki la lb ld le li ll lo ls lt lu ly ma mb md me mi ml mo ' +
    'mp ms na nc nd ne nf ng ni nk nl nn no ns nt nu nv ny ob oc od of og oi ok ol om on oo op or os ot ou ov ow oz pa pe pi ' +
    'pl po pp pr ps pt pu qu ra rc rd re rf rg ri rk rl rm rn ro rr rs rt ru rv ry sa sc se sh si so sp ss st su sv sy ta tc ' +
    'te th ti tm to tp tr ts tt tu ty ua ub uc ud ue uf ui ul um un up ur us ut va ve vi vo wa we wh wi wo wr xp xt yn yo yp ' +
    'ze zi zo'
  ).split(' '),
);

/** Whether a run of letters (`github`, `Service`, `PASSWORD`) reads like a word rather than random letters. */
function isWord(token: string): boolean {
  if (token.length < 3 || /\d/u.test(token)) return false;
  const lower = token.toLowerCase();
  let common = 0;
  for (let i = 0; i + 1 < lower.length; i++) if (COMMON_BIGRAMS.has(lower.slice(i, i + 2))) common++;
  return common >= 0.8 * (lower.length - 1);
}

/**
 * Whether a value is made of words (`oauth2-github-provider`, `myServiceName2`, `SECRET_KEY_BASE_2024`)
 * rather than random characters: at least two words covering 70% of its letters and digits (short
 * numbers such as versions and years aside). Random strings of 10 to 40 alphanumerics read as words
 * less than 0.5% of the time.
 */
export function looksLikeIdentifier(value: string): boolean {
  let counted = 0;
  let wordy = 0;
  let words = 0;
  for (const [token] of value.matchAll(IDENTIFIER_TOKEN)) {
    if (token.length <= 4 && token.charCodeAt(0) <= 0x39) continue; // a number of up to 4 digits
    counted += token.length;
    if (isWord(token)) {
      wordy += token.length;
      words++;
    }
  }
  return words >= 2 && wordy >= 0.7 * counted;
}

/** Start of the identifier that ends where the keyword starts (`DB_PASSWORD` for `PASSWORD`). */
function identifierStart(text: string, from: number): number {
  let i = from;
  while (i > 0 && from - i < 50 && /[\w.-]/u.test(text[i - 1]!)) i--;
  return i;
}

/** Whether a heuristic hit's value is a placeholder or a name rather than a secret. */
function isPlaceholderOrName(value: string): boolean {
  return GENERIC_STOPWORDS.test(value) || looksLikeIdentifier(value);
}

function genericValue(match: RegExpExecArray, text: string, span: Span): Span | null {
  const value = text.slice(span.start, span.end);
  if (/^[a-zA-Z_.-]+$/u.test(value)) return null; // words and dotted names: process.env.DB_PASSWORD
  if (isPlaceholderOrName(value)) return null;
  const keySide = text.slice(identifierStart(text, match.index), span.start);
  if (GENERIC_KEY_ALLOW.test(keySide)) return null;
  return span;
}

function authorizationValue(_match: RegExpExecArray, text: string, span: Span): Span | null {
  return isPlaceholderOrName(text.slice(span.start, span.end)) ? null : span;
}

// ---------------------------------------------------------------------------------------------

/** The detectors, most specific first: on equal spans, the earlier entry names the match. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // Private keys.
  { id: 'private-key', regex: rx('-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----', 'i'), keywords: ['-----begin'], known: true, refine: pemBlock },
  { id: 'age-secret-key', regex: rx('AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'), keywords: ['age-secret-key-1'], known: true },

  // Cloud providers.
  { id: 'aws-access-token', regex: rx(String.raw`\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b`), keywords: ['a3t', 'akia', 'asia', 'abia', 'acca'], entropy: 3, known: true },
  // own: the 40-character secret that goes with an access key id (credentials files, `aws sts` JSON).
  { id: 'aws-secret-access-key', regex: rx(String.raw`secret[_-]?access[_-]?key["']?[ \t]{0,5}(?:=|:|=>|:=)[ \t]{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'i'), keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key'], entropy: 4, known: true },
  { id: 'gcp-api-key', regex: rx(String.raw`\b(AIza[\w-]{35})${END}`), keywords: ['aiza'], entropy: 4, known: true },
  { id: 'azure-ad-client-secret', regex: rx(String.raw`(?:^|[\\'"\x60\s>=:(,)])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?=$|[\\'"\x60\s<),])`), keywords: ['q~'], entropy: 3, known: true },
  // own: AccountKey=<64 bytes in base64> of an Azure Storage connection string.
  { id: 'azure-storage-account-key', regex: rx(String.raw`[Aa]ccount[Kk]ey=([A-Za-z0-9+/]{86}==)`), keywords: ['accountkey='], entropy: 4, known: true },
  { id: 'digitalocean-access-token', regex: rx(String.raw`\b(doo_v1_[a-f0-9]{64})${END}`), keywords: ['doo_v1_'], entropy: 3, known: true },
  { id: 'digitalocean-pat', regex: rx(String.raw`\b(dop_v1_[a-f0-9]{64})${END}`), keywords: ['dop_v1_'], entropy: 3, known: true },
  { id: 'digitalocean-refresh-token', regex: rx(String.raw`\b(dor_v1_[a-fA-F0-9]{64})${END}`), keywords: ['dor_v1_'], known: true },
  { id: 'heroku-api-key-v2', regex: rx(String.raw`\b(HRKU-AA[0-9a-zA-Z_-]{58})${END}`), keywords: ['hrku-aa'], entropy: 4, known: true },
  { id: 'heroku-api-key', regex: keyed('heroku', UUID), keywords: ['heroku'], known: true },
  // `[a-z0-9]{14}\.atlasv1\.…` searched from its literal middle: a regex that starts with a class
  // tries 14 characters at every position of a long alphanumeric run.
  { id: 'hashicorp-tf-api-token', regex: rx(String.raw`\.atlasv1\.[a-zA-Z0-9_=-]{60,70}`), keywords: ['atlasv1'], entropy: 3.5, known: true, refine: terraformToken },
  { id: 'vault-service-token', regex: rx(String.raw`\b(hvs\.[\w-]{90,120})${END}`), keywords: ['hvs.'], entropy: 3.5, known: true },
  { id: 'vault-batch-token', regex: rx(String.raw`\b(hvb\.[\w-]{138,300})${END}`), keywords: ['hvb.'], entropy: 4, known: true },
  { id: 'databricks-api-token', regex: rx(String.raw`\b(dapi[a-f0-9]{32}(?:-\d)?)${END}`), keywords: ['dapi'], entropy: 3, known: true },
  { id: 'doppler-api-token', regex: rx(String.raw`dp\.pt\.[a-zA-Z0-9]{43}`), keywords: ['dp.pt.'], entropy: 2, known: true },
  { id: 'pulumi-api-token', regex: rx(String.raw`\b(pul-[a-f0-9]{40})${END}`), keywords: ['pul-'], entropy: 2, known: true },
  { id: '1password-service-account-token', regex: rx('ops_eyJ[a-zA-Z0-9+/]{250,8192}={0,3}'), keywords: ['ops_'], entropy: 4, known: true },

  // Source forges and package registries.
  { id: 'github-fine-grained-pat', regex: rx(String.raw`github_pat_\w{82}`), keywords: ['github_pat_'], entropy: 3, known: true },
  { id: 'github-pat', regex: rx('ghp_[0-9a-zA-Z]{36}'), keywords: ['ghp_'], entropy: 3, known: true },
  { id: 'github-oauth', regex: rx('gho_[0-9a-zA-Z]{36}'), keywords: ['gho_'], entropy: 3, known: true },
  { id: 'github-app-token', regex: rx('(?:ghu|ghs)_[0-9a-zA-Z]{36}'), keywords: ['ghu_', 'ghs_'], entropy: 3, known: true },
  { id: 'github-refresh-token', regex: rx('ghr_[0-9a-zA-Z]{36}'), keywords: ['ghr_'], entropy: 3, known: true },
  { id: 'gitlab-pat-routable', regex: rx(String.raw`\bglpat-[0-9a-zA-Z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}\b`), keywords: ['glpat-'], entropy: 4, known: true },
  { id: 'gitlab-pat', regex: rx(String.raw`glpat-[\w-]{20}`), keywords: ['glpat-'], entropy: 3, known: true },
  { id: 'gitlab-ptt', regex: rx('glptt-[0-9a-f]{40}'), keywords: ['glptt-'], entropy: 3, known: true },
  { id: 'gitlab-rrt', regex: rx(String.raw`GR1348941[\w-]{20}`), keywords: ['gr1348941'], entropy: 3, known: true },
  { id: 'gitlab-runner-authentication-token', regex: rx('glrt-[0-9a-zA-Z_-]{20}'), keywords: ['glrt-'], entropy: 3, known: true },
  { id: 'gitlab-deploy-token', regex: rx('gldt-[0-9a-zA-Z_-]{20}'), keywords: ['gldt-'], entropy: 3, known: true },
  { id: 'npm-access-token', regex: rx(String.raw`\b(npm_[a-zA-Z0-9]{36})${END}`), keywords: ['npm_'], entropy: 2, known: true },
  { id: 'pypi-upload-token', regex: rx(String.raw`pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`), keywords: ['pypi-ageichlwas5vcmc'], entropy: 3, known: true },
  { id: 'rubygems-api-token', regex: rx(String.raw`\b(rubygems_[a-f0-9]{48})${END}`), keywords: ['rubygems_'], entropy: 2, known: true },

  // AI providers.
  { id: 'anthropic-admin-api-key', regex: rx(String.raw`\b(sk-ant-admin01-[a-zA-Z0-9_-]{93}AA)${END}`), keywords: ['sk-ant-admin01'], known: true },
  { id: 'anthropic-api-key', regex: rx(String.raw`\b(sk-ant-api03-[a-zA-Z0-9_-]{93}AA)${END}`), keywords: ['sk-ant-api03'], known: true },
  // own: Claude OAuth access and refresh tokens (CLAUDE_CODE_OAUTH_TOKEN, ~/.claude/.credentials.json).
  { id: 'anthropic-oauth-token', regex: rx(String.raw`\b(sk-ant-o(?:at|rt)01-[a-zA-Z0-9_-]{80,200})(?![a-zA-Z0-9_-])`), keywords: ['sk-ant-oat01', 'sk-ant-ort01'], entropy: 3.5, known: true },
  {
    id: 'openai-api-key',
    regex: rx(String.raw`\b(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})${END}`),
    keywords: ['t3blbkfj'],
    entropy: 3,
    known: true,
  },
  { id: 'huggingface-access-token', regex: rx(String.raw`\b(hf_[a-zA-Z]{34})${END}`), keywords: ['hf_'], entropy: 2, known: true },
  { id: 'huggingface-organization-api-token', regex: rx(String.raw`\b(api_org_[a-zA-Z]{34})${END}`), keywords: ['api_org_'], entropy: 2, known: true },
  { id: 'perplexity-api-key', regex: rx(String.raw`\b(pplx-[a-zA-Z0-9]{48})\b`), keywords: ['pplx-'], entropy: 4, known: true },

  // Chat and webhooks.
  { id: 'slack-bot-token', regex: rx('xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*'), keywords: ['xoxb'], entropy: 3, known: true },
  { id: 'slack-legacy-bot-token', regex: rx('xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}'), keywords: ['xoxb'], entropy: 2, known: true },
  { id: 'slack-user-token', regex: rx('xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}'), keywords: ['xoxp-', 'xoxe-'], entropy: 2, known: true },
  { id: 'slack-app-token', regex: rx(String.raw`xapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+`), keywords: ['xapp'], entropy: 2, known: true },
  { id: 'slack-legacy-token', regex: rx(String.raw`xox[os]-\d+-\d+-\d+-[a-fA-F\d]+`), keywords: ['xoxo', 'xoxs'], entropy: 2, known: true },
  { id: 'slack-config-access-token', regex: rx(String.raw`xoxe\.xox[bp]-\d-[A-Za-z0-9]{163,166}`), keywords: ['xoxe.xoxb-', 'xoxe.xoxp-'], entropy: 2, known: true },
  { id: 'slack-config-refresh-token', regex: rx(String.raw`xoxe-\d-[A-Za-z0-9]{146}`), keywords: ['xoxe-'], entropy: 2, known: true },
  // The secret is the path after the host: redaction keeps `hooks.slack.com/services/` readable.
  { id: 'slack-webhook-url', regex: rx(String.raw`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/]{43,56})`), keywords: ['hooks.slack.com'], known: true },
  // own: Discord webhook URLs (id/token).
  { id: 'discord-webhook-url', regex: rx(String.raw`(?:https?://)?(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v\d{1,2})?/webhooks/(\d{17,20}/[A-Za-z0-9_-]{60,80})(?![A-Za-z0-9_-])`), keywords: ['discord'], entropy: 3, known: true },
  {
    id: 'microsoft-teams-webhook',
    regex: rx(String.raw`https://[a-z0-9]+\.webhook\.office\.com/webhookb2/([a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12})`),
    keywords: ['webhook.office.com', 'webhookb2', 'incomingwebhook'],
    known: true,
  },
  // gitleaks' keyed form plus the Bot API URL form; `(?-i:A)` kept by spelling `telegr` out.
  {
    id: 'telegram-bot-api-token',
    regex: rx(String.raw`(?:[Tt][Ee][Ll][Ee][Gg][Rr]${ASSIGN}|api\.telegram\.org/bot)([0-9]{5,16}:A[a-zA-Z0-9_-]{34})(?![a-zA-Z0-9_-])`),
    keywords: ['telegr'],
    known: true,
  },

  // SaaS.
  { id: 'stripe-access-token', regex: rx(String.raw`\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})${END}`), keywords: ['sk_test', 'sk_live', 'sk_prod', 'rk_test', 'rk_live', 'rk_prod'], entropy: 2, known: true },
  { id: 'shopify-access-token', regex: rx('shpat_[a-fA-F0-9]{32}'), keywords: ['shpat_'], entropy: 2, known: true },
  { id: 'shopify-custom-access-token', regex: rx('shpca_[a-fA-F0-9]{32}'), keywords: ['shpca_'], entropy: 2, known: true },
  { id: 'shopify-private-app-access-token', regex: rx('shppa_[a-fA-F0-9]{32}'), keywords: ['shppa_'], entropy: 2, known: true },
  { id: 'shopify-shared-secret', regex: rx('shpss_[a-fA-F0-9]{32}'), keywords: ['shpss_'], entropy: 2, known: true },
  { id: 'twilio-api-key', regex: rx(String.raw`\bSK[0-9a-fA-F]{32}\b`), keywords: ['sk'], entropy: 3, known: true },
  { id: 'sendgrid-api-token', regex: rx(String.raw`\b(SG\.[a-zA-Z0-9=_.-]{66})${END}`), keywords: ['sg.'], entropy: 2, known: true },
  { id: 'mailgun-private-api-token', regex: keyed('mailgun', 'key-[a-f0-9]{32}'), keywords: ['mailgun'], known: true },
  { id: 'mailgun-signing-key', regex: keyed('mailgun', '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}'), keywords: ['mailgun'], known: true },
  { id: 'mailchimp-api-key', regex: keyed(String.raw`MailchimpSDK\.initialize|mailchimp`, String.raw`[a-f0-9]{32}-us\d\d`), keywords: ['mailchimp'], known: true },
  { id: 'linear-api-key', regex: rx('lin_api_[a-zA-Z0-9]{40}'), keywords: ['lin_api_'], entropy: 2, known: true },
  { id: 'postman-api-token', regex: rx(String.raw`\b(PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34})${END}`), keywords: ['pmak-'], entropy: 3, known: true },
  { id: 'notion-api-token', regex: rx(String.raw`\b(ntn_[0-9]{11}[A-Za-z0-9]{35})${END}`), keywords: ['ntn_'], entropy: 4, known: true },
  { id: 'atlassian-api-token', regex: rx(String.raw`\b(ATATT3[A-Za-z0-9_=-]{186})${END}`), keywords: ['atatt3'], entropy: 3.5, known: true },
  { id: 'grafana-api-key', regex: rx(String.raw`\b(eyJrIjoi[A-Za-z0-9]{70,400}={0,3})${END}`), keywords: ['eyjrijoi'], entropy: 3, known: true },
  { id: 'grafana-cloud-api-token', regex: rx(String.raw`\b(glc_[A-Za-z0-9+/]{32,400}={0,3})${END}`), keywords: ['glc_'], entropy: 3, known: true },
  { id: 'grafana-service-account-token', regex: rx(String.raw`\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})${END}`), keywords: ['glsa_'], entropy: 3, known: true },
  { id: 'sentry-user-token', regex: rx(String.raw`\b(sntryu_[a-f0-9]{64})${END}`), keywords: ['sntryu_'], entropy: 3.5, known: true },

  // Structured tokens and credentials in URLs.
  {
    id: 'jwt',
    regex: rx(String.raw`\b(ey[a-zA-Z0-9]{17,2048}\.ey[a-zA-Z0-9/\\_-]{17,16384}\.(?:[a-zA-Z0-9/\\_-]{10,4096}={0,2})?)${END}`),
    keywords: ['ey'],
    entropy: 3,
    known: true,
  },
  // own: scheme://user:password@host; the password is the secret. Placeholders are dropped.
  {
    id: 'password-in-url',
    regex: rx(String.raw`://([^\s:@/?#'"\x60<>\[\]{}\\]{0,128}):([^\s@/?#'"\x60<>\[\]{}\\]{1,128})@(?=[A-Za-z0-9.\[-])`),
    keywords: ['://'],
    secretGroup: 2,
    known: true,
    refine: urlPassword,
  },

  // Heuristics (known: false).
  // own: the credential of an HTTP Authorization header (Bearer/Token/Basic), when it is a literal.
  {
    id: 'authorization-header',
    regex: rx(String.raw`authorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|token|basic)[ \t]+([A-Za-z0-9._~+/-]{16,1000}=*)(?![A-Za-z0-9._~+/=-])`, 'i'),
    keywords: ['authorization'],
    entropy: 3,
    known: false,
    refine: authorizationValue,
  },
  {
    id: 'generic-api-key',
    regex: rx(
      String.raw`(?:access|auth|api|credential|creds|key|passw(?:or)?d|pwd|secret|token)${ASSIGN}(?:${atomic(String.raw`[\w.=-]{10,150}`, 1)}|${atomic(String.raw`[a-z0-9][a-z0-9+/]{11,1000}={0,3}`, 2)})(?=[\x60'"\s;&]|\\[nr]|$)`,
      'i',
    ),
    keywords: ['access', 'api', 'auth', 'key', 'credential', 'creds', 'passwd', 'password', 'pwd', 'secret', 'token'],
    entropy: 3.5,
    known: false,
    refine: genericValue,
  },
];
