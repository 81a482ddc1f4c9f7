/**
 * SUPPLY: software supply chain (reference B.4): ephemeral remote package execution (001), new
 * dependencies (002, an inventory rule with typosquat escalation), installs from untrusted sources
 * or registry overrides (003).
 */
import { commands, defineRule, hit, isTool } from '../rule-kit.js';
import type { Rule, RuleHit, ShellCommand } from '../types.js';
import { WRITE_TOOLS, dedupe, fileHits, optionValues, replacedText, strongest, writtenFiles, writtenText } from './persist-kit.js';
import { type Install, installs, npmName, pypiName, specsOf } from './supply-kit.js';
import { type Eco, typosquatOf } from './supply-names.js';

export { npmName, pypiName };

// ---- AGT-SUPPLY-001 ----

const NPX_VALUE_OPTS = ['-p', '--package', '-c', '--call', '--cache', '--userconfig', '--registry', '-w', '--workspace', '--node-options'];
const UVX_VALUE_OPTS = ['--from', '--with', '--with-requirements', '-p', '--python', '--index', '--index-url', '--extra-index-url', '--default-index', '-c', '--constraints'];

/** Well-known CLIs run through npx & co. */
const WELL_KNOWN_NPM = new Set([
  'tsc', 'typescript', 'prettier', 'eslint', 'vitest', 'jest', 'vite', 'next', 'tsx', 'ts-node', 'nodemon', 'playwright', '@playwright/test',
  'prisma', 'turbo', 'nx', 'changeset', '@changesets/cli', 'npm-check-updates', 'ncu', 'degit', 'serve', 'http-server', 'rimraf',
  'cross-env', 'concurrently', 'husky', 'lint-staged', '@biomejs/biome', 'biome', 'storybook', 'wrangler', 'vercel', 'netlify-cli',
  'firebase-tools', '@angular/cli', 'ng', '@nestjs/cli', 'expo', 'react-native', '@vue/cli', 'sv', 'astro', 'knip', 'depcheck', 'madge',
  'tailwindcss', '@tailwindcss/cli', 'postcss', 'webpack', 'webpack-cli', 'rollup', 'esbuild', 'tsup', 'oxlint', 'stylelint',
  'markdownlint-cli', 'markdownlint-cli2', 'typedoc', 'semantic-release', 'commitizen', 'lerna', 'jscodeshift', 'drizzle-kit', 'node-gyp',
  'sort-package-json', 'publint', 'only-allow', 'envinfo', 'license-checker', 'patch-package', 'kill-port', 'wait-on', 'pm2',
  'shadcn', 'shadcn-ui', '@commitlint/cli', 'vue-tsc', 'svelte-check', 'npm', 'pnpm', 'yarn', 'corepack', 'mocha', 'c8', 'nyc',
  'docusaurus', '@docusaurus/core', 'cspell', 'vitepress', '@11ty/eleventy', 'eleventy', 'hexo', 'gatsby', 'gatsby-cli', 'remark-cli',
  'textlint', 'alex', 'write-good', 'markdown-link-check', 'lychee', 'redoc-cli', '@redocly/cli', 'swagger-cli', 'openapi-typescript',
  '@openapitools/openapi-generator-cli', 'cdk', 'aws-cdk', 'cdktf-cli', 'serverless', 'sls', 'vsce', '@vscode/vsce', 'electron',
  'electron-builder', 'nuxi', 'nuxt', '@nuxt/cli', 'svgo', 'sharp-cli', 'http-server', 'live-server', 'json-server', 'lighthouse',
]);
/** `create-*` starters of the major frameworks; other create-* names are not trusted for their prefix alone. */
const WELL_KNOWN_CREATE = new Set([
  'create-react-app', 'create-vite', 'create-next-app', 'create-astro', 'create-t3-app', 'create-svelte', 'create-remix', 'create-expo-app',
  'create-nx-workspace', 'create-turbo', 'create-vue', 'create-nuxt-app', 'create-docusaurus', 'create-redwood-app', 'create-qwik',
  'create-solid', 'create-hono', 'create-electron-app', 'create-react-native-app', 'create-playwright', 'create-vitest', 'create-strapi-app',
  'create-payload-app', 'create-medusa-app', 'create-tauri-app', 'create-gatsby', 'create-storybook', '@vitejs/create-app',
  '@angular/create', '@sveltejs/create', 'create-cloudflare', 'create-wrangler',
]);
const WELL_KNOWN_PYPI = new Set([
  'ruff', 'black', 'isort', 'mypy', 'pyright', 'pytest', 'pre-commit', 'cookiecutter', 'hatch', 'poetry', 'tox', 'nox', 'pip-audit',
  'pip-tools', 'uv', 'flake8', 'pylint', 'bandit', 'httpie', 'jupyter', 'jupyterlab', 'copier', 'twine', 'build', 'pipdeptree', 'sqlfluff',
  'ipython', 'yamllint', 'codespell', 'mkdocs', 'pyinstaller', 'pdm', 'ty', 'basedpyright', 'vulture', 'coverage',
]);

function wellKnown(name: string, eco: Eco): boolean {
  if (eco === 'npm') return WELL_KNOWN_NPM.has(name) || WELL_KNOWN_CREATE.has(name);
  return WELL_KNOWN_PYPI.has(name);
}

interface Ephemeral {
  readonly name: string;
  readonly eco: Eco | 'remote';
}

function ephemeral(cmd: ShellCommand): Ephemeral | undefined {
  const n = cmd.name;
  const a = cmd.args;
  // npx options end at the first operand (the package or bin); later options belong to the command.
  const npmPkg = (args: readonly string[]): Ephemeral | undefined => {
    for (let i = 0; i < args.length; i++) {
      const x = args[i]!;
      let spec: string | undefined;
      if (x === '-p' || x === '--package') spec = args[i + 1];
      else if (x.startsWith('--package=')) spec = x.slice('--package='.length);
      else if (NPX_VALUE_OPTS.includes(x)) {
        i++;
        continue;
      } else if (x === '--') spec = args[i + 1];
      else if (x.startsWith('-')) continue;
      else spec = x;
      return spec ? { name: npmName(spec), eco: 'npm' } : undefined;
    }
    return undefined;
  };
  if (n === 'npx' || n === 'pnpx' || n === 'bunx') return npmPkg(a);
  if (n === 'npm' && /^(exec|x)$/.test(a[0] ?? '')) return npmPkg(a.slice(1));
  if ((n === 'pnpm' || n === 'yarn') && a[0] === 'dlx') return npmPkg(a.slice(1));
  if (n === 'bun' && a[0] === 'x') return npmPkg(a.slice(1));
  const pyPkg = (args: readonly string[], fromOpt: string): Ephemeral | undefined => {
    const spec = optionValues({ ...cmd, args }, [fromOpt])[0] ?? specsOf(args, UVX_VALUE_OPTS)[0];
    return spec ? { name: pypiName(spec), eco: 'pypi' } : undefined;
  };
  if (n === 'uvx') return pyPkg(a, '--from');
  if (n === 'uv' && a[0] === 'tool' && a[1] === 'run') return pyPkg(a.slice(2), '--from');
  if (n === 'pipx' && a[0] === 'run') return pyPkg(a.slice(1), '--spec');
  if (n === 'deno' && a[0] === 'run') {
    const target = specsOf(a.slice(1), ['--config', '-c', '--import-map', '--lock', '--cert', '--location', '--env-file'])[0] ?? '';
    return /^(https?:\/\/|npm:|jsr:)/i.test(target) ? { name: target, eco: 'remote' } : undefined;
  }
  if (n === 'go' && a[0] === 'run') {
    const mod = specsOf(a.slice(1), ['-C', '-exec', '-o', '-tags', '-ldflags', '-gcflags', '-mod', '-modfile', '-p']).find((o) => /^[\w.-]+\.[a-z]{2,}\/\S+@\S+$/i.test(o));
    return mod ? { name: mod, eco: 'remote' } : undefined;
  }
  return undefined;
}

const supply001 = defineRule(
  {
    id: 'AGT-SUPPLY-001',
    title: 'Ephemeral remote package execution',
    category: 'SUPPLY',
    severity: 'medium',
    tools: ['Bash'],
    attack: ['T1195.001', 'T1059'],
    atlas: ['AML.T0010'],
    owasp: ['LLM03:2025', 'ASI04'],
    description:
      'npx [-y], npm exec, pnpm/yarn dlx, bunx, uvx, pipx run, deno run https://…, go run module@version of a package outside a list of well-known CLIs; high when the name is a near miss of a popular package (typosquat).',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const cmd of commands(facts)) {
      const e = ephemeral(cmd);
      if (!e) continue;
      if (e.eco === 'remote') {
        hits.push(...hit(cmd.text, undefined, `Runs remote code ${e.name}.`));
        continue;
      }
      if (wellKnown(e.name, e.eco)) continue;
      const squat = typosquatOf(e.name, e.eco);
      hits.push(...hit(cmd.text, squat ? 'high' : undefined, squat ? `${e.name} is a near miss of the popular package ${squat.of} (possible typosquat).` : `Downloads and runs ${e.name}.`));
    }
    return strongest(hits, 'medium');
  },
);

const nameOf = (spec: string, eco: Install['eco']): string => (eco === 'npm' ? npmName(spec) : eco === 'pypi' ? pypiName(spec) : spec.replace(/@.*$/, ''));

const supply002 = defineRule(
  {
    id: 'AGT-SUPPLY-002',
    title: 'New dependency installed by the agent',
    category: 'SUPPLY',
    severity: 'low',
    tools: ['Bash'],
    attack: ['T1195.001'],
    owasp: ['LLM03:2025', 'ASI04'],
    description:
      'npm/pnpm/yarn/bun install|add, pip/uv/poetry/pipenv install|add, cargo add|install, go get|install, gem/brew/conda install with explicit package names (an inventory rule); medium/high when a name is a near miss of a popular package.',
  },
  (facts) => {
    if (facts.tool !== 'Bash') return [];
    const hits: RuleHit[] = [];
    for (const inst of installs(facts)) {
      if (inst.specs.length === 0) continue;
      const names = inst.specs.map((s) => nameOf(s, inst.eco));
      let note = `Installs ${names.join(', ')}.`;
      let severity: 'medium' | 'high' | undefined;
      for (const name of names) {
        const squat = inst.eco === 'npm' || inst.eco === 'pypi' || inst.eco === 'cargo' ? typosquatOf(name, inst.eco) : undefined;
        if (squat) {
          severity = squat.distance <= 1 || severity === 'high' ? 'high' : 'medium';
          note = `${name} is a near miss of the popular package ${squat.of} (possible typosquat).`;
        }
      }
      hits.push(...hit(inst.cmd.text, severity, note));
    }
    return strongest(hits, 'low');
  },
);

// ---- AGT-SUPPLY-003 ----

const DEFAULT_REGISTRIES = ['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com', 'pypi.org', 'pypi.python.org', 'files.pythonhosted.org'];

/** Whether a registry URL points somewhere other than the public default registries. */
function nonDefaultRegistry(url: string): boolean {
  if (/^\$/.test(url)) return false;
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
    return !DEFAULT_REGISTRIES.includes(host);
  } catch {
    return true;
  }
}

const REMOTE_SPEC = /^(git\+|git:\/\/|github:|gitlab:|bitbucket:|gist:|https?:\/\/|hg\+|svn\+|bzr\+)/i;
const GITHUB_SHORTHAND = /^[\w.-]+\/[\w.-]+(#\S*)?$/;

function untrustedInstall(inst: Install): string | undefined {
  const { cmd, rest, eco } = inst;
  const view = { ...cmd, args: rest };
  const remote = inst.specs.find((s) => REMOTE_SPEC.test(s) || (eco === 'npm' && GITHUB_SHORTHAND.test(s)) || (eco === 'pypi' && /\s@\s*\S+:\/\//.test(s)));
  if (remote) return `Installs from ${remote}, outside the registry.`;
  if (eco === 'pypi') {
    if (rest.includes('@') && rest.some((r) => /:\/\//.test(r))) return 'Installs from a direct URL reference.';
    const index = optionValues(view, ['--index-url', '--extra-index-url', '--index', '--default-index', '--find-links'], ['-i', '-f']).find((u) => /:\/\//.test(u) && nonDefaultRegistry(u));
    if (index) return `Uses package index ${index}.`;
    if (rest.some((r) => r === '--trusted-host' || r.startsWith('--trusted-host='))) return '--trusted-host disables TLS checks for an index.';
    if (rest.includes('--break-system-packages')) return '--break-system-packages overrides the system package manager.';
  }
  if (inst.global && cmd.wrappers.some((w) => w === 'sudo' || w === 'doas')) return 'Global install as root runs install scripts as root.';
  if (eco === 'pypi' && cmd.wrappers.some((w) => w === 'sudo' || w === 'doas')) return 'pip install as root runs build scripts as root.';
  return undefined;
}

const REGISTRY_KEY = /^(@[\w.-]+:)?registry$|^npmRegistryServer$|^(global\.|install\.)?(extra-)?index-url$|^(global\.)?trusted-host$/;

/** Environment variables that override the package index. */
const REGISTRY_ENV = /^(npm_config_registry|NPM_CONFIG_REGISTRY|npm_config_@[\w.-]+:registry|YARN_NPM_REGISTRY_SERVER|YARN_REGISTRY|PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|UV_INDEX_URL|UV_EXTRA_INDEX_URL|UV_DEFAULT_INDEX|UV_INDEX|PIP_TRUSTED_HOST|BUN_CONFIG_REGISTRY|POETRY_REPOSITORIES_\w+_URL)$/;

function registryCommand(cmd: ShellCommand): string | undefined {
  const n = cmd.name;
  const envs = [...cmd.assigns, ...(n === 'export' ? cmd.args.map((a) => ({ name: a.split('=')[0]!, value: a.slice(a.indexOf('=') + 1) })) : [])];
  const env = envs.find((e) => REGISTRY_ENV.test(e.name) && (/TRUSTED_HOST$/.test(e.name) ? e.value !== '' : nonDefaultRegistry(e.value)));
  if (env) return `${env.name}=${env.value} overrides the package index.`;
  if (['npm', 'pnpm', 'yarn', 'npx', 'bun', 'bunx', 'pnpx'].includes(n)) {
    const reg = optionValues(cmd, ['--registry']).find(nonDefaultRegistry);
    if (reg) return `Uses registry ${reg}.`;
    if (cmd.args.includes('--unsafe-perm') || cmd.args.includes('--unsafe-perm=true')) return '--unsafe-perm runs install scripts with root privileges.';
  }
  const a = cmd.args;
  const setAt = (n === 'npm' || n === 'pnpm' || n === 'yarn' || /^pip[\d.]*$/.test(n)) ? (a[0] === 'config' && a[1] === 'set' ? 2 : n === 'npm' && a[0] === 'set' ? 1 : -1) : -1;
  if (setAt < 0) return undefined;
  const pair = a.slice(setAt).filter((x) => !x.startsWith('-'));
  const [key, value] = pair[0]?.includes('=') ? [pair[0].slice(0, pair[0].indexOf('=')), pair[0].slice(pair[0].indexOf('=') + 1)] : [pair[0] ?? '', pair[1] ?? ''];
  if (!REGISTRY_KEY.test(key)) return undefined;
  if (/trusted-host$/.test(key)) return `Sets ${key}.`;
  return nonDefaultRegistry(value) ? `Sets ${key} to ${value}.` : undefined;
}

const REGISTRY_FILES = ['**/.npmrc', '**/.yarnrc', '**/.yarnrc.yml', '**/pip.conf', '**/pip.ini', '**/bunfig.toml', '**/uv.toml', '/etc/pip.conf', '**/.pnpmrc'];
const REGISTRY_TEXT = /(?:^|[\s"'{,])(?:@[\w.-]+:)?(?:registry|npmRegistryServer|index-url|extra-index-url|index_url|extra_index_url|url)\s*[=:]?\s*["']?(https?:\/\/[^\s"',}]+)/gim;
const TRUSTED_HOST_TEXT = /(?:^|[\s"'])trusted[-_]host\s*[=:]\s*\S/im;

function registryUrls(text: string): string[] {
  return [...text.matchAll(REGISTRY_TEXT)].map((m) => m[1]!);
}

const supply003 = defineRule(
  {
    id: 'AGT-SUPPLY-003',
    title: 'Install from untrusted source or registry override',
    category: 'SUPPLY',
    severity: 'high',
    tools: ['Bash', ...WRITE_TOOLS],
    attack: ['T1195.001'],
    owasp: ['LLM03:2025', 'ASI04'],
    description:
      'pip install from git+/URL, a non-PyPI --index-url/--extra-index-url, --trusted-host or --break-system-packages; npm/pnpm/yarn install of git/github:/tarball specs; npm config set registry or --registry to a non-default host; --unsafe-perm; sudo npm install -g; writes to .npmrc, pip.conf, .yarnrc.yml, bunfig.toml or uv.toml setting a non-default registry.',
  },
  (facts) => {
    if (facts.hookEvent !== 'PreToolUse' || !isTool(facts, ['Bash', ...WRITE_TOOLS])) return [];
    const hits: RuleHit[] = [];
    for (const inst of installs(facts)) {
      const why = untrustedInstall(inst);
      if (why) hits.push(...hit(inst.cmd.text, undefined, why));
    }
    for (const cmd of commands(facts)) {
      const why = registryCommand(cmd);
      if (why) hits.push(...hit(cmd.text, undefined, why));
    }
    const before = new Set(registryUrls(replacedText(facts)));
    for (const f of writtenFiles(facts, REGISTRY_FILES)) {
      const text = writtenText(facts, f);
      const url = registryUrls(text).find((u) => !before.has(u) && nonDefaultRegistry(u));
      const trusted = TRUSTED_HOST_TEXT.test(text) && !TRUSTED_HOST_TEXT.test(replacedText(facts));
      if (url || trusted) hits.push(...fileHits(facts, [f], undefined, () => (url ? `Points ${f.abs} at registry ${url}.` : `Adds trusted-host to ${f.abs}.`)));
    }
    return dedupe(hits).slice(0, 1);
  },
);

export const SUPPLY_RULES: Rule[] = [supply001, supply002, supply003];
