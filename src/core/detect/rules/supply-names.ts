/** Typosquat check for the SUPPLY rules: near misses of popular package names, per ecosystem. */

export type Eco = 'npm' | 'pypi' | 'cargo';

/** Popular packages attackers squat (npm, PyPI, crates.io). Names shorter than 5 characters are left out: too many legit neighbours. */
const POPULAR: Record<Eco, readonly string[]> = {
  npm: [
    'react', 'react-dom', 'lodash', 'express', 'axios', 'chalk', 'commander', 'typescript', 'webpack', 'moment', 'dotenv', 'jquery',
    'underscore', 'yargs', 'eslint', 'prettier', 'nodemon', 'mongoose', 'socket.io', 'body-parser', 'cross-env', 'electron',
    'puppeteer', 'playwright', 'babel-core', 'redux', 'classnames', 'discord.js', 'node-fetch', 'cookie-parser', 'jsonwebtoken',
    'bcrypt', 'sequelize', 'graphql', 'inquirer', 'ethers', 'request', 'colors', 'debug', 'async', 'minimist', 'semver', 'glob',
    'rimraf', 'mkdirp', 'vitest', 'tailwindcss', 'openai',
  ],
  pypi: [
    'requests', 'numpy', 'pandas', 'django', 'flask', 'urllib3', 'setuptools', 'boto3', 'botocore', 'pyyaml', 'scipy',
    'matplotlib', 'tensorflow', 'torch', 'pillow', 'beautifulsoup4', 'cryptography', 'pytest', 'selenium', 'sqlalchemy', 'fastapi',
    'pydantic', 'jinja2', 'certifi', 'colorama', 'openai', 'transformers', 'scikit-learn', 'opencv-python', 'psycopg2', 'aiohttp',
    'httpx', 'uvicorn', 'python-dateutil', 'charset-normalizer', 'anthropic', 'langchain', 'paramiko', 'simplejson',
  ],
  cargo: ['serde', 'serde_json', 'tokio', 'reqwest', 'anyhow', 'thiserror', 'regex', 'chrono', 'clap', 'rand_core', 'hyper', 'tracing'],
};

/** Legitimate packages one edit away from a popular one. */
const KNOWN_NEIGHBOURS = new Set([
  'preact', 'redact', 'reach', 'args', 'ether', 'expresso', 'scapy', 'boto', 'openapi', 'torchx', 'numba', 'panda', 'colors',
  'color', 'colord', 'async', 'debug', 'debugs', 'request', 'requests', 'glob', 'globs', 'cors', 'core', 'chalk', 'axios', 'mocha',
  'react', 'reactn', 'redux', 'semver', 'flash', 'flake', 'dotenvx', 'moment', 'momentum', 'jquery', 'query', 'next', 'nextjs',
  'torch', 'touch', 'pydantic', 'httpx', 'httpie', 'serde', 'serde_yaml', 'serde-json', 'tokio', 'hyper', 'regex', 'regexp', 'clap',
  'zod', 'glob2', 'sequelize', 'bcryptjs', 'enquirer', 'graphql', 'mkdirp', 'rimraf', 'vitest', 'vite', 'eslint', 'openai',
]);

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

const norm = (name: string, eco: Eco) => (eco === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase());

/**
 * The popular package `name` is a near miss of: edit distance 1 (or 2 for names of 8+ characters)
 * and not equal. Scoped npm names, known neighbours and `popular-…`/`popular.js` extensions are not near misses.
 */
export function typosquatOf(name: string, eco: Eco): { of: string; distance: number } | undefined {
  const n = norm(name, eco);
  if (n.startsWith('@') || n.length < 4 || KNOWN_NEIGHBOURS.has(n) || POPULAR[eco].some((p) => norm(p, eco) === n)) return undefined;
  let best: { of: string; distance: number } | undefined;
  for (const p of POPULAR[eco]) {
    const target = norm(p, eco);
    if (target.length < 5 || n === target) continue;
    if (n.startsWith(`${target}-`) || n.startsWith(`${target}.`) || n === `${target}js` || n.endsWith(`-${target}`)) continue;
    const limit = target.length >= 8 ? 2 : 1;
    const d = editDistance(n, target, limit);
    if (d <= limit && (!best || d < best.distance)) best = { of: p, distance: d };
  }
  return best;
}
