/**
 * Project kinds of the clean corpus: their files, the commands developers (and agents) run in
 * them with realistic output, the docs they fetch, the prompts users type, and for each kind the
 * legitimate actions that sit near the edges of what rules look at (reading .env, sudo apt-get,
 * ssh -T, curl localhost, terraform plan with a tfvars file…).
 */
import type { Rng } from './rng.js';
import type { BashResult } from './tools.js';

export type ProjectKindId = 'node-web' | 'python-ml' | 'rust-cli' | 'go-service' | 'terraform' | 'docs-site' | 'devops';

export const PROJECT_KINDS: readonly ProjectKindId[] = ['node-web', 'python-ml', 'rust-cli', 'go-service', 'terraform', 'docs-site', 'devops'];

export interface Project {
  readonly kind: ProjectKindId;
  readonly name: string;
  readonly dir: string;
  readonly user: string;
  readonly home: string;
  readonly org: string;
}

/** A shell command with its description and how it turns out. */
export interface Cmd {
  readonly command: string;
  readonly description: string;
  readonly result: BashResult;
}

export type CmdGen = (rng: Rng, p: Project) => Cmd;

export interface KindSpec {
  readonly names: readonly string[];
  readonly sources: readonly string[];
  readonly tests: readonly string[];
  readonly configs: readonly string[];
  readonly docs: readonly string[];
  /** Files an agent creates. */
  readonly newFiles: readonly string[];
  readonly grep: readonly string[];
  readonly globs: readonly string[];
  readonly fileType?: string;
  readonly test: (rng: Rng, p: Project, pass: boolean) => Cmd;
  readonly build: (rng: Rng, p: Project, pass: boolean) => Cmd;
  readonly lint: (rng: Rng, p: Project, pass: boolean) => Cmd;
  /** Everyday commands used while exploring or checking (weighted). */
  readonly misc: readonly (readonly [number, CmdGen])[];
  /** Legitimate commands near the edges (installs, services, network to localhost…). */
  readonly edges: readonly (readonly [number, CmdGen])[];
  /** Paths outside the project an agent legitimately reads (dependency sources, user config). */
  readonly outside: (rng: Rng, p: Project) => string[];
  readonly urls: readonly string[];
  readonly searches: readonly string[];
  readonly prompts: readonly string[];
}

const ok = (stdout = '', ms?: number): BashResult => ({ stdout, ...(ms ? { ms } : {}) });
const c = (command: string, description: string, result: BashResult): Cmd => ({ command, description, result });
const slug = (rng: Rng) => rng.pick(['fix-login-redirect', 'add-pagination', 'retry-on-timeout', 'cache-headers', 'cli-config', 'csv-export', 'dark-mode', 'rate-limit', 'refactor-db-layer', 'update-deps', 'docs-quickstart', 'flaky-test']);

// ---- shared commands ------------------------------------------------------------------------------

/** A git or gh command; `readOnly` keeps to those that only look (status, diff, log, show, blame, pr view). */
export function gitCommands(rng: Rng, p: Project, files: readonly string[], readOnly = false): Cmd {
  const f = rng.pick(files);
  const branch = `${rng.pick(['feature', 'fix', 'chore'])}/${slug(rng)}`;
  const sha = () => rng.hex(7);
  const w = (n: number) => (readOnly ? 0 : n);
  return rng.weighted<() => Cmd>([
    [6, () => c('git status --short', 'Show working tree status', ok(` M ${f}\n${rng.chance(0.5) ? `?? ${rng.pick(files)}\n` : ''}`, rng.int(10, 60)))],
    [4, () => c(`git diff ${rng.chance(0.5) ? '--stat' : f}`, 'Show uncommitted changes', ok(`diff --git a/${f} b/${f}\nindex ${sha()}..${sha()} 100644\n--- a/${f}\n+++ b/${f}\n@@ -${rng.int(1, 80)},7 +${rng.int(1, 80)},9 @@\n-  return x;\n+  if (!x) return undefined;\n+  return x;\n`))],
    [4, () => c('git log --oneline -10', 'Show recent commits', ok(Array.from({ length: 10 }, () => `${sha()} ${rng.pick(['fix: handle empty input', 'feat: add export', 'chore: bump deps', 'refactor: split module', 'test: cover edge cases', 'docs: update README'])}`).join('\n')))],
    [w(2), () => c(`git checkout -b ${branch}`, 'Create a feature branch', { stderr: `Switched to a new branch '${branch}'` })],
    [w(3), () => c(`git add -A && git commit -m "${rng.pick(['fix: handle empty input', 'feat: add pagination to list endpoint', 'refactor: extract helper', 'test: add regression test'])}"`, 'Commit the changes', ok(`[${branch} ${sha()}] commit\n ${rng.int(1, 6)} files changed, ${rng.int(3, 200)} insertions(+), ${rng.int(0, 80)} deletions(-)`))],
    [w(1), () => c(`git push -u origin ${branch}`, 'Push the branch', { stderr: `remote: \nremote: Create a pull request for '${branch}' on GitHub by visiting:\nremote:      https://github.com/${p.org}/${p.name}/pull/new/${branch}\nremote: \nTo github.com:${p.org}/${p.name}.git\n * [new branch]      ${branch} -> ${branch}\nbranch '${branch}' set up to track 'origin/${branch}'.`, ms: rng.int(800, 4000) })],
    [w(1), () => c('gh pr create --fill', 'Open a pull request', ok(`https://github.com/${p.org}/${p.name}/pull/${rng.int(10, 900)}`, rng.int(1500, 5000)))],
    [1, () => c(`gh pr view ${rng.int(10, 900)} --comments`, 'Read the pull request discussion', ok(`title:\t${rng.pick(['Add CSV export', 'Fix flaky test', 'Bump deps'])}\nstate:\tOPEN\nauthor:\t${p.user}\n--\nLooks good, one nit about naming.`))],
    [w(1), () => c('git pull --rebase origin main', 'Update from main', ok('Successfully rebased and updated refs/heads/main.', rng.int(800, 3000)))],
    [1, () => c(`git show --stat HEAD~${rng.int(0, 5)}`, 'Show a recent commit', ok(`commit ${rng.hex(40)}\nAuthor: ${p.user} <${p.user}@acme.dev>\n\n    ${rng.pick(['fix: retry', 'feat: export'])}\n\n ${f} | ${rng.int(2, 40)} ++--`))],
    [w(1), () => c('git stash && git stash list', 'Stash local changes', ok(`Saved working directory and index state WIP on main: ${sha()} wip\nstash@{0}: WIP on main: ${sha()} wip`))],
    [1, () => c(`git blame -L ${rng.int(1, 40)},+15 ${f}`, 'See who changed these lines', ok(`${sha()} (${p.user} 2026-0${rng.int(1, 9)}-1${rng.int(0, 9)}) code`))],
  ])();
}

export function shellCommands(rng: Rng, p: Project, spec: KindSpec): Cmd {
  const f = rng.pick([...spec.sources, ...spec.tests]);
  const dir = f.includes('/') ? f.split('/').slice(0, -1).join('/') : '.';
  const pat = rng.pick(spec.grep);
  return rng.weighted<() => Cmd>([
    [4, () => c(`ls -la ${rng.chance(0.5) ? dir : ''}`.trim(), 'List files', ok(listing(rng, spec)))],
    [2, () => c(`find ${dir} -name "*.${ext(f)}" | head -30`, 'Find source files', ok(spec.sources.filter((s) => s.startsWith(dir)).slice(0, 30).map((s) => `./${s}`).join('\n')))],
    [3, () => c(`rg -n "${pat}" ${dir}`, 'Search the sources', ok(`${f}:${rng.int(1, 200)}:  ${pat}(x)\n${rng.pick(spec.sources)}:${rng.int(1, 200)}: // ${pat}`))],
    [2, () => c(`grep -rn "TODO" ${dir} | head -20`, 'List TODOs', ok(`${f}:${rng.int(1, 300)}:// TODO: handle the empty case`))],
    [2, () => c(`wc -l ${spec.sources.slice(0, 5).join(' ')}`, 'Count lines', ok(spec.sources.slice(0, 5).map((s) => `  ${rng.int(20, 900)} ${s}`).join('\n')))],
    [2, () => c(`head -n 40 ${f}`, 'Show the start of a file', ok('// (file head)\n'))],
    [1, () => c('pwd', 'Print working directory', ok(p.dir))],
    [1, () => c(`tree -L 2 -I 'node_modules|target|.git|.venv'`, 'Show the project tree', ok(`.\n${spec.sources.slice(0, 12).map((s) => `├── ${s}`).join('\n')}`))],
    [1, () => c(`cat ${rng.pick(spec.configs)}`, 'Show the configuration', ok('# config\n'))],
  ])();
}

function ext(f: string): string {
  return f.includes('.') ? f.split('.').pop()! : 'txt';
}

function listing(rng: Rng, spec: KindSpec): string {
  const names = [...new Set([...spec.configs, ...spec.sources].map((s) => s.split('/')[0]!))].slice(0, 14);
  return ['total ' + rng.int(20, 200), ...names.map((n) => `${n.includes('.') ? '-rw-r--r--' : 'drwxr-xr-x'}  1 dev dev ${rng.int(96, 9000)} Nov ${rng.int(1, 28)} 1${rng.int(0, 9)}:${rng.int(10, 59)} ${n}`)].join('\n');
}

// ---- kinds ----------------------------------------------------------------------------------------

const nodeWeb: KindSpec = {
  names: ['storefront', 'dashboard', 'webapp', 'admin-ui', 'landing'],
  sources: ['src/main.tsx', 'src/App.tsx', 'src/components/Header.tsx', 'src/components/OrderTable.tsx', 'src/components/Pagination.tsx', 'src/pages/Checkout.tsx', 'src/pages/Settings.tsx', 'src/api/client.ts', 'src/api/orders.ts', 'src/lib/format.ts', 'src/lib/auth.ts', 'src/hooks/useOrders.ts', 'server/index.ts', 'server/routes/orders.ts', 'server/db.ts'],
  tests: ['src/lib/format.test.ts', 'src/api/orders.test.ts', 'src/components/OrderTable.test.tsx', 'e2e/checkout.spec.ts'],
  configs: ['package.json', 'tsconfig.json', 'vite.config.ts', 'eslint.config.js', '.env.example', 'Dockerfile', 'README.md'],
  docs: ['README.md', 'docs/architecture.md', 'CONTRIBUTING.md'],
  newFiles: ['src/lib/retry.ts', 'src/components/EmptyState.tsx', 'src/lib/csv.ts', 'src/hooks/useDebounce.ts', 'src/lib/retry.test.ts'],
  grep: ['useOrders', 'fetchJson', 'formatPrice', 'TODO', 'export function', 'Authorization', 'process.env'],
  globs: ['src/**/*.tsx', 'src/**/*.test.ts', '**/*.config.*', 'server/**/*.ts'],
  fileType: 'ts',
  test: (rng, p, pass) => {
    const cmd = rng.pick(['npm test', 'npx vitest run', `npx vitest run ${rng.pick(['src/lib', 'src/api/orders.test.ts'])}`, 'npm run test -- --reporter=dot']);
    return c(cmd, 'Run the tests', pass
      ? ok(`\n RUN  v3.2.4 ${p.dir}\n\n ✓ src/lib/format.test.ts (${rng.int(3, 20)} tests) ${rng.int(5, 90)}ms\n ✓ src/api/orders.test.ts (${rng.int(2, 12)} tests) ${rng.int(5, 300)}ms\n\n Test Files  ${rng.int(2, 14)} passed\n      Tests  ${rng.int(10, 140)} passed\n   Duration  ${rng.int(1, 9)}.${rng.int(10, 99)}s`, rng.int(1500, 15000))
      : { stdout: ` FAIL  src/api/orders.test.ts > listOrders > paginates\nAssertionError: expected 20 to be 10\n ❯ src/api/orders.test.ts:${rng.int(10, 90)}:${rng.int(5, 30)}\n\n Test Files  1 failed | ${rng.int(2, 10)} passed`, exit: 1, ms: rng.int(1500, 15000) });
  },
  build: (rng, _p, pass) => c(rng.pick(['npm run build', 'npx tsc --noEmit', 'npm run typecheck']), 'Type-check and build', pass
    ? ok(`vite v6.3.1 building for production...\n✓ ${rng.int(100, 900)} modules transformed.\ndist/index.html  0.46 kB\ndist/assets/index-${rng.hex(8)}.js  ${rng.int(100, 600)}.${rng.int(10, 99)} kB\n✓ built in ${rng.int(1, 9)}.${rng.int(10, 99)}s`, rng.int(3000, 30000))
    : { stdout: `src/components/OrderTable.tsx(${rng.int(10, 90)},${rng.int(3, 30)}): error TS2322: Type 'string | undefined' is not assignable to type 'string'.`, exit: 2, ms: rng.int(3000, 20000) }),
  lint: (rng, _p, pass) => c(rng.pick(['npm run lint', 'npx eslint src --ext .ts,.tsx', 'npx prettier --check src', 'npx prettier --write src/components']), 'Lint the sources', pass ? ok('', rng.int(1500, 9000)) : { stdout: `src/lib/format.ts\n  ${rng.int(1, 80)}:${rng.int(1, 30)}  error  'x' is assigned a value but never used  @typescript-eslint/no-unused-vars\n\n✖ 1 problem`, exit: 1 }),
  misc: [
    [2, (rng) => c('cat package.json | jq .scripts', 'Show npm scripts', ok('{\n  "dev": "vite",\n  "build": "tsc -b && vite build",\n  "test": "vitest run"\n}'))],
    [1, (rng) => c('node --version && npm --version', 'Show Node and npm versions', ok(`v22.${rng.int(1, 12)}.0\n10.${rng.int(1, 9)}.0`))],
    [1, (rng) => c('npm ls react', 'Show the installed react version', ok(`storefront@1.0.0\n└── react@19.1.${rng.int(0, 3)}`))],
    [1, (rng) => c('npm outdated', 'List outdated packages', ok(`Package  Current  Wanted  Latest\nvite     6.3.1    6.3.5   7.0.0`))],
  ],
  edges: [
    [3, (rng) => c(rng.pick(['npm install zod', 'npm install date-fns', 'npm i -D @types/node', 'npm install lodash', 'npm install @tanstack/react-table']), 'Add a dependency', ok(`\nadded ${rng.int(1, 12)} packages, and audited ${rng.int(300, 900)} packages in ${rng.int(1, 9)}s\n\nfound 0 vulnerabilities`, rng.int(2000, 15000)))],
    [3, (rng) => c(rng.pick(['npm install', 'npm ci']), 'Install dependencies', ok(`added ${rng.int(300, 1200)} packages in ${rng.int(5, 40)}s`, rng.int(5000, 40000)))],
    [2, () => c('npm run dev', 'Start the dev server', { background: true })],
    [3, (rng) => c(rng.pick(['curl -s http://localhost:5173/', 'curl -s http://localhost:3000/health', 'curl -s localhost:3000/api/orders?page=2 | jq ".items | length"']), 'Check the local server', ok(rng.pick(['{"status":"ok"}', '10', '<!doctype html><html><head><title>Storefront</title></head>'])))],
    [2, () => c('cp .env.example .env', 'Create a local env file', ok())],
    [2, () => c('rm -rf node_modules dist && npm ci', 'Reinstall dependencies from scratch', ok('added 812 packages in 31s', 31000))],
    [1, (rng) => c(`docker build -t ${rng.pick(['storefront', 'web'])}:dev .`, 'Build the container image', ok('#8 DONE 12.3s\n#9 exporting to image\n#9 naming to docker.io/library/web:dev done', 25000))],
    [1, () => c('npx playwright test e2e/checkout.spec.ts', 'Run the end-to-end test', ok('Running 3 tests using 2 workers\n  3 passed (14.2s)', 16000))],
    [1, () => c('npm audit --omit=dev', 'Audit production dependencies', ok('found 0 vulnerabilities'))],
    [1, () => c('lsof -i :5173 || true', 'Check what listens on the dev port', ok('node    4182 dev   23u  IPv4 0t0  TCP localhost:5173 (LISTEN)'))],
  ],
  outside: (rng, p) => [`${p.dir}/node_modules/${rng.pick(['react-router', 'zod', 'vite'])}/README.md`, `${p.dir}/node_modules/${rng.pick(['react-dom', '@tanstack/react-query'])}/package.json`],
  urls: ['https://react.dev/reference/react/useEffect', 'https://vitejs.dev/config/', 'https://developer.mozilla.org/en-US/docs/Web/API/AbortController', 'https://tanstack.com/query/latest/docs/framework/react/guides/paginated-queries', 'https://www.typescriptlang.org/docs/handbook/2/narrowing.html', 'https://vitest.dev/api/vi.html', 'https://github.com/vitejs/vite/issues/15012'],
  searches: ['vitest mock fetch per test', 'react 19 useActionState example', 'tanstack query keepPreviousData v5', 'vite proxy api localhost cors'],
  prompts: ['The orders table should paginate on the server side, 20 per page.', 'Fix the failing test in src/api/orders.test.ts', 'Add a retry with backoff to the API client', 'Why does the checkout page re-render twice?', 'Add CSV export for the orders table', 'Refactor src/lib/format.ts, it has too many responsibilities', 'Upgrade vite and fix whatever breaks', 'Add dark mode using CSS variables'],
};

const pythonMl: KindSpec = {
  names: ['churn-model', 'forecasting', 'feature-store', 'nlp-experiments'],
  sources: ['src/churn/__init__.py', 'src/churn/data.py', 'src/churn/features.py', 'src/churn/train.py', 'src/churn/evaluate.py', 'src/churn/config.py', 'scripts/train.py', 'scripts/export_model.py', 'notebooks/explore.py'],
  tests: ['tests/test_features.py', 'tests/test_data.py', 'tests/conftest.py'],
  configs: ['pyproject.toml', 'requirements.txt', 'configs/train.yaml', 'README.md', '.env.example'],
  docs: ['README.md', 'docs/model-card.md'],
  newFiles: ['src/churn/metrics.py', 'tests/test_metrics.py', 'scripts/plot_importance.py', 'configs/sweep.yaml'],
  grep: ['def train', 'fit_transform', 'random_state', 'TODO', 'read_csv', 'import torch'],
  globs: ['src/**/*.py', 'tests/test_*.py', 'configs/*.yaml', 'data/**/*.csv'],
  fileType: 'py',
  test: (rng, _p, pass) => c(rng.pick(['python -m pytest -q', 'pytest tests/test_features.py -q', 'pytest -q -k "not slow"', '.venv/bin/pytest -x -q']), 'Run the tests', pass
    ? ok(`${'.'.repeat(rng.int(8, 60))}                                   [100%]\n${rng.int(8, 60)} passed in ${rng.int(1, 30)}.${rng.int(10, 99)}s`, rng.int(2000, 30000))
    : { stdout: `F......\n=================================== FAILURES ===================================\n___________________________ test_encode_categoricals ___________________________\n    assert out.shape[1] == 12\nE   AssertionError: assert 11 == 12\ntests/test_features.py:${rng.int(10, 80)}: AssertionError\n1 failed, ${rng.int(6, 40)} passed`, exit: 1, ms: rng.int(2000, 30000) }),
  build: (rng, _p, pass) => c(rng.pick(['python scripts/train.py --config configs/train.yaml --epochs 3', 'python -m churn.train --dry-run', 'mypy src']), 'Run the training script', pass
    ? ok(`epoch 1/3 loss=0.${rng.int(300, 700)} auc=0.${rng.int(700, 800)}\nepoch 2/3 loss=0.${rng.int(200, 400)} auc=0.${rng.int(780, 850)}\nepoch 3/3 loss=0.${rng.int(150, 300)} auc=0.${rng.int(800, 880)}\nsaved models/model.pkl`, rng.int(10000, 200000))
    : { stderr: `Traceback (most recent call last):\n  File "src/churn/features.py", line ${rng.int(10, 90)}, in encode\nKeyError: 'tenure_months'`, exit: 1 }),
  lint: (rng, _p, pass) => c(rng.pick(['ruff check .', 'ruff format --check .', 'black --check src tests']), 'Lint the code', pass ? ok('All checks passed!') : { stdout: `src/churn/data.py:${rng.int(1, 90)}:1: F401 [*] \`os\` imported but unused\nFound 1 error.`, exit: 1 }),
  misc: [
    [2, (rng) => c('head -n 5 data/raw/customers.csv', 'Peek at the data', ok('customer_id,tenure_months,plan,monthly_charges,churned\nC0001,12,pro,49.0,0\nC0002,3,basic,19.0,1'))],
    [1, () => c('python -c "import sklearn, pandas; print(sklearn.__version__, pandas.__version__)"', 'Show library versions', ok('1.5.1 2.2.2'))],
    [1, () => c('nvidia-smi --query-gpu=name,memory.used --format=csv', 'Check GPU usage', ok('name, memory.used [MiB]\nNVIDIA RTX A4000, 812 MiB'))],
    [1, () => c('du -sh data/*', 'Show data sizes', ok('412M\tdata/raw\n88M\tdata/processed'))],
  ],
  edges: [
    [3, (rng) => c(rng.pick(['pip install requests', 'pip install pandas==2.2.2', 'uv pip install scikit-learn', 'pip install -U matplotlib', 'pip install lightgbm']), 'Install a package', ok(`Successfully installed ${rng.pick(['requests-2.32.3', 'pandas-2.2.2', 'lightgbm-4.5.0'])}`, rng.int(2000, 20000)))],
    [3, () => c('pip install -r requirements.txt', 'Install the requirements', ok('Requirement already satisfied: pandas==2.2.2', 6000))],
    [1, () => c('python -m venv .venv && . .venv/bin/activate && pip install -e .', 'Create a virtualenv and install the package', ok('Successfully installed churn-model-0.3.0', 25000))],
    [2, (rng) => c(`curl -sL -o data/raw/${rng.pick(['holidays.csv', 'census.csv'])} https://raw.githubusercontent.com/datasets/${rng.pick(['holidays', 'population'])}/main/data/data.csv`, 'Download a public dataset', ok('', 2000))],
    [1, () => c('jupyter nbconvert --to script notebooks/explore.ipynb', 'Convert the notebook to a script', { stderr: '[NbConvertApp] Converting notebook notebooks/explore.ipynb to script\n[NbConvertApp] Writing 4120 bytes to notebooks/explore.py' })],
    [1, () => c('rm -rf .pytest_cache __pycache__ src/churn/__pycache__', 'Clear caches', ok())],
    [1, () => c('cp .env.example .env', 'Create a local env file', ok())],
  ],
  outside: (rng, p) => [`${p.dir}/.venv/lib/python3.12/site-packages/sklearn/model_selection/_split.py`, `/usr/lib/python3.12/${rng.pick(['json/__init__.py', 'logging/__init__.py'])}`],
  urls: ['https://docs.python.org/3/library/logging.html', 'https://pandas.pydata.org/docs/reference/api/pandas.DataFrame.merge.html', 'https://scikit-learn.org/stable/modules/cross_validation.html', 'https://pytorch.org/docs/stable/data.html', 'https://docs.pytest.org/en/stable/how-to/fixtures.html'],
  searches: ['sklearn stratified group kfold example', 'pandas merge_asof tolerance', 'pytest parametrize fixtures indirect', 'lightgbm early stopping callback'],
  prompts: ['Add a stratified train/test split and report ROC AUC', 'The feature pipeline leaks the target, find out where', 'Write tests for src/churn/features.py', 'Speed up data loading, it takes 40 seconds', 'Add a model card in docs/', 'Fix the KeyError in the training script'],
};

const rustCli: KindSpec = {
  names: ['logq', 'tidy', 'shipit', 'rgx'],
  sources: ['src/main.rs', 'src/cli.rs', 'src/lib.rs', 'src/config.rs', 'src/commands/mod.rs', 'src/commands/parse.rs', 'src/commands/export.rs', 'src/output.rs', 'src/error.rs'],
  tests: ['tests/cli.rs', 'tests/parse.rs'],
  configs: ['Cargo.toml', 'README.md', 'rustfmt.toml', '.github/workflows/ci.yml'],
  docs: ['README.md', 'CHANGELOG.md'],
  newFiles: ['src/commands/stats.rs', 'tests/stats.rs', 'src/progress.rs'],
  grep: ['fn main', 'Result<', 'unwrap()', 'clap::', 'impl Display', 'TODO'],
  globs: ['src/**/*.rs', 'tests/*.rs', '**/Cargo.toml'],
  fileType: 'rust',
  test: (rng, _p, pass) => c(rng.pick(['cargo test', 'cargo test --all-features', `cargo test ${rng.pick(['parse', 'export', 'cli'])}`, 'RUST_BACKTRACE=1 cargo test -q']), 'Run the tests', pass
    ? ok(`running ${rng.int(5, 60)} tests\n${'test commands::parse::tests::it_works ... ok\n'.repeat(3)}\ntest result: ok. ${rng.int(5, 60)} passed; 0 failed; 0 ignored; finished in 0.${rng.int(10, 99)}s`, rng.int(3000, 60000))
    : { stdout: `test parse::multiline ... FAILED\n\nfailures:\n---- parse::multiline stdout ----\nthread 'parse::multiline' panicked at tests/parse.rs:${rng.int(10, 80)}:5:\nassertion \`left == right\` failed\n  left: 3\n right: 2\n\ntest result: FAILED. ${rng.int(5, 40)} passed; 1 failed`, exit: 101, ms: rng.int(3000, 60000) }),
  build: (rng, _p, pass) => c(rng.pick(['cargo build', 'cargo build --release', 'cargo check']), 'Build the crate', pass
    ? { stderr: `   Compiling ${rng.pick(['logq', 'tidy'])} v0.${rng.int(1, 9)}.0 (/project)\n    Finished \`dev\` profile [unoptimized + debuginfo] target(s) in ${rng.int(2, 90)}.${rng.int(10, 99)}s`, ms: rng.int(3000, 90000) }
    : { stderr: `error[E0308]: mismatched types\n  --> src/commands/export.rs:${rng.int(10, 90)}:${rng.int(5, 30)}\n   |\n   = note: expected \`&str\`, found \`String\``, exit: 101 }),
  lint: (rng, _p, pass) => c(rng.pick(['cargo clippy -- -D warnings', 'cargo fmt --check', 'cargo fmt']), 'Lint the code', pass ? { stderr: '    Finished `dev` profile [unoptimized + debuginfo] target(s) in 4.02s' } : { stderr: 'error: this `if` has identical blocks\n  --> src/output.rs:41:9', exit: 101 }),
  misc: [
    [2, () => c('cargo run -- --help', 'Show the CLI help', ok('Usage: logq [OPTIONS] <COMMAND>\n\nCommands:\n  parse   Parse log files\n  export  Export results\n  help    Print this message'))],
    [1, () => c('cargo tree --depth 1', 'Show direct dependencies', ok('logq v0.4.0\n├── anyhow v1.0.86\n├── clap v4.5.9\n└── serde v1.0.204'))],
    [1, () => c('./target/debug/logq parse tests/fixtures/sample.log | head', 'Try the binary on a fixture', ok('2026-11-02T10:00:01Z INFO started\n2026-11-02T10:00:02Z WARN slow'))],
  ],
  edges: [
    [3, (rng) => c(rng.pick(['cargo add clap --features derive', 'cargo add serde_json', 'cargo add indicatif', 'cargo add --dev assert_cmd predicates']), 'Add a dependency', { stderr: '    Updating crates.io index\n      Adding serde_json v1.0.120 to dependencies', ms: 2500 })],
    [1, () => c('cargo install cargo-nextest --locked', 'Install the nextest runner', { stderr: '  Installed package `cargo-nextest v0.9.72` (executable `cargo-nextest`)', ms: 90000 })],
    [1, () => c('cargo update -p serde', 'Update one dependency', { stderr: '    Updating serde v1.0.203 -> v1.0.204' })],
    [1, () => c('rm -rf target/debug/incremental', 'Clear incremental build cache', ok())],
  ],
  outside: (rng, p) => [`${p.home}/.cargo/registry/src/index.crates.io-6f17d22bba15001f/${rng.pick(['clap_builder-4.5.8/src/builder/command.rs', 'serde-1.0.204/src/de/mod.rs', 'anyhow-1.0.86/src/context.rs'])}`],
  urls: ['https://docs.rs/clap/latest/clap/_derive/index.html', 'https://doc.rust-lang.org/std/path/struct.Path.html', 'https://docs.rs/anyhow/latest/anyhow/', 'https://rust-lang.github.io/api-guidelines/naming.html'],
  searches: ['clap derive subcommand with global flag', 'rust read file line by line fast', 'assert_cmd predicates contains example'],
  prompts: ['Add a `stats` subcommand that prints counts per level', 'Make parse stream the input instead of reading it all', 'Clippy complains in output.rs, fix it', 'Add integration tests for the CLI', 'Support a config file in ~/.config/logq/config.toml'],
};

const goService: KindSpec = {
  names: ['orders-api', 'billing', 'gateway', 'notifier'],
  sources: ['cmd/server/main.go', 'internal/api/handlers.go', 'internal/api/routes.go', 'internal/store/postgres.go', 'internal/store/orders.go', 'internal/config/config.go', 'internal/auth/middleware.go', 'pkg/retry/retry.go', 'migrations/0003_orders.sql'],
  tests: ['internal/api/handlers_test.go', 'internal/store/orders_test.go', 'pkg/retry/retry_test.go'],
  configs: ['go.mod', 'Makefile', 'Dockerfile', 'docker-compose.yml', 'api/openapi.yaml', 'README.md', '.env.example'],
  docs: ['README.md', 'docs/runbook.md'],
  newFiles: ['internal/api/pagination.go', 'internal/api/pagination_test.go', 'migrations/0004_index.sql'],
  grep: ['func (s \\*Server)', 'context.Context', 'sql.ErrNoRows', 'TODO', 'http.Error', 'os.Getenv'],
  globs: ['**/*.go', 'internal/**/*_test.go', 'migrations/*.sql'],
  fileType: 'go',
  test: (rng, _p, pass) => c(rng.pick(['go test ./...', 'go test -race ./internal/...', `go test -run Test${rng.pick(['List', 'Create', 'Retry'])} ./internal/api -v`, 'make test']), 'Run the tests', pass
    ? ok(`ok  \tgithub.com/acme/orders/internal/api\t0.${rng.int(10, 99)}s\nok  \tgithub.com/acme/orders/internal/store\t${rng.int(0, 3)}.${rng.int(10, 99)}s\nok  \tgithub.com/acme/orders/pkg/retry\t0.0${rng.int(1, 9)}s`, rng.int(2000, 40000))
    : { stdout: `--- FAIL: TestListOrders (0.00s)\n    handlers_test.go:${rng.int(20, 90)}: expected 200, got 500\nFAIL\nFAIL\tgithub.com/acme/orders/internal/api\t0.041s`, exit: 1 }),
  build: (rng, _p, pass) => c(rng.pick(['go build ./...', 'go vet ./...', 'make build']), 'Build the service', pass ? ok('', rng.int(2000, 20000)) : { stderr: `# github.com/acme/orders/internal/api\ninternal/api/handlers.go:${rng.int(10, 90)}:2: undefined: writeJSON`, exit: 1 }),
  lint: (rng, _p, pass) => c(rng.pick(['golangci-lint run ./...', 'gofmt -l .', 'staticcheck ./...']), 'Lint the code', pass ? ok() : { stdout: `internal/store/orders.go:${rng.int(10, 90)}:3: Error return value of \`rows.Close\` is not checked (errcheck)`, exit: 1 }),
  misc: [
    [2, () => c('go mod tidy', 'Tidy the module', ok())],
    [1, (rng) => c('go version', 'Show the Go version', ok(`go version go1.23.${rng.int(0, 4)} linux/amd64`))],
    [1, () => c('make help', 'List make targets', ok('build  test  lint  migrate'))],
  ],
  edges: [
    [3, () => c('docker compose up -d postgres', 'Start the database', { stderr: ' ✔ Container orders-postgres-1  Started', ms: 4000 })],
    [3, (rng) => c(rng.pick(['curl -s localhost:8080/healthz', 'curl -s http://localhost:8080/api/orders?limit=5 | jq .', 'curl -s -X POST localhost:8080/api/orders -H "Content-Type: application/json" -d \'{"sku":"A-100","qty":2}\'']), 'Call the local API', ok(rng.pick(['ok', '{"items":[],"next":null}', '{"id":"ord_123","status":"pending"}'])))],
    [2, (rng) => c(`psql -h localhost -U app -d orders_dev -c "${rng.pick(['SELECT count(*) FROM orders;', '\\dt', 'EXPLAIN ANALYZE SELECT * FROM orders WHERE customer_id = 42;'])}"`, 'Query the local database', ok(' count \n-------\n   128\n(1 row)'))],
    [2, () => c('go run ./cmd/server', 'Run the server', { background: true })],
    [2, (rng) => c(rng.pick(['go get github.com/stretchr/testify@v1.9.0', 'go get github.com/jackc/pgx/v5@latest', 'go install github.com/golangci/golangci-lint/cmd/golangci-lint@v1.60.1']), 'Add a module', { stderr: 'go: added github.com/stretchr/testify v1.9.0', ms: 6000 })],
    [1, () => c('migrate -path migrations -database "$DATABASE_URL" up', 'Apply migrations locally', { stderr: '4/u add_orders_index (21.3ms)' })],
    [1, () => c('docker compose logs --tail=50 postgres', 'Show database logs', ok('postgres-1  | LOG:  database system is ready to accept connections'))],
    [1, () => c('kill $(lsof -t -i :8080) 2>/dev/null || true', 'Stop the local server', ok())],
  ],
  outside: (rng, p) => [`${p.home}/go/pkg/mod/github.com/go-chi/chi/v5@v5.1.0/${rng.pick(['mux.go', 'tree.go'])}`, `/usr/local/go/src/net/http/${rng.pick(['server.go', 'request.go'])}`],
  urls: ['https://pkg.go.dev/github.com/jackc/pgx/v5', 'https://go.dev/doc/effective_go', 'https://pkg.go.dev/net/http#Server', 'https://github.com/go-chi/chi/blob/master/README.md'],
  searches: ['pgx v5 batch insert example', 'go http server graceful shutdown', 'golang table driven tests subtests parallel'],
  prompts: ['Add cursor pagination to GET /api/orders', 'TestListOrders fails with a 500, find out why', 'Add retries with jitter to the payment client', 'Write a migration adding an index on orders.customer_id', 'Add request logging middleware'],
};

const terraform: KindSpec = {
  names: ['infra', 'platform-infra', 'terraform-aws'],
  sources: ['modules/network/main.tf', 'modules/network/variables.tf', 'modules/network/outputs.tf', 'modules/service/main.tf', 'modules/service/iam.tf', 'modules/service/variables.tf', 'envs/dev/main.tf', 'envs/dev/backend.tf', 'envs/prod/main.tf', 'envs/prod/backend.tf'],
  tests: ['tests/network.tftest.hcl'],
  configs: ['.tflint.hcl', '.terraform-version', 'README.md', '.github/workflows/terraform.yml', 'envs/dev/versions.tf'],
  docs: ['README.md', 'docs/runbook.md'],
  newFiles: ['modules/service/alarms.tf', 'modules/network/endpoints.tf', 'tests/service.tftest.hcl'],
  grep: ['aws_iam_role', 'variable "', 'module "', 'TODO', 'lifecycle', 'depends_on'],
  globs: ['**/*.tf', 'envs/*/main.tf', 'modules/*/variables.tf'],
  test: (rng, _p, pass) => c(rng.pick(['terraform test', 'cd envs/dev && terraform validate', 'terraform validate']), 'Validate the configuration', pass ? ok('Success! The configuration is valid.') : { stderr: `Error: Reference to undeclared input variable\n\n  on modules/service/main.tf line ${rng.int(5, 60)}:\n  A variable named "subnet_ids" has not been declared.`, exit: 1 }),
  build: (rng, _p, pass) => c(rng.pick(['cd envs/dev && terraform plan -out=tfplan', 'terraform -chdir=envs/dev plan -no-color', 'cd envs/dev && terraform init -backend=false && terraform plan -lock=false']), 'Plan the dev environment', pass
    ? ok(`Terraform will perform the following actions:\n\n  # module.service.aws_cloudwatch_metric_alarm.errors will be created\n  + resource "aws_cloudwatch_metric_alarm" "errors" {\n      + alarm_name = "orders-dev-5xx"\n    }\n\nPlan: ${rng.int(1, 6)} to add, ${rng.int(0, 3)} to change, 0 to destroy.`, rng.int(8000, 60000))
    : { stderr: 'Error: Invalid reference\n\n  on ../../modules/service/alarms.tf line 12', exit: 1 }),
  lint: (rng, _p, pass) => c(rng.pick(['terraform fmt -recursive', 'terraform fmt -check -recursive', 'tflint --recursive']), 'Format and lint', pass ? ok(rng.pick(['', 'modules/service/alarms.tf'])) : { stdout: 'modules/network/main.tf', exit: 3 }),
  misc: [
    [2, () => c('terraform -chdir=envs/dev providers', 'List providers', ok('Providers required by configuration:\n.\n└── provider[registry.terraform.io/hashicorp/aws] ~> 5.60'))],
    [1, () => c('terraform version', 'Show the Terraform version', ok('Terraform v1.9.5\non linux_amd64'))],
    [1, () => c('terraform -chdir=envs/dev show -no-color tfplan | head -60', 'Show the saved plan', ok('# module.service.aws_cloudwatch_metric_alarm.errors will be created'))],
  ],
  edges: [
    [2, () => c('aws sts get-caller-identity', 'Check which AWS identity is active', ok('{\n    "UserId": "AROAEXAMPLE:dev",\n    "Account": "123456789012",\n    "Arn": "arn:aws:sts::123456789012:assumed-role/dev/dev"\n}'))],
    [2, () => c('terraform -chdir=envs/dev state list', 'List resources in the dev state', ok('module.network.aws_vpc.main\nmodule.service.aws_ecs_service.api'))],
    [2, () => c('cd envs/dev && terraform plan -var-file=dev.tfvars', 'Plan with the dev variables', ok('Plan: 2 to add, 1 to change, 0 to destroy.', 30000))],
    [1, () => c('checkov -d . --quiet --compact', 'Scan the configuration', ok('Passed checks: 84, Failed checks: 2, Skipped checks: 0'))],
    [1, () => c('aws s3 ls s3://acme-terraform-state/dev/', 'List the state bucket', ok('2026-11-01 10:22:03      48211 terraform.tfstate'))],
    [1, () => c('infracost breakdown --path envs/dev --format table | tail -5', 'Estimate costs', ok('OVERALL TOTAL  $412.80'))],
  ],
  outside: (_rng, p) => [`${p.dir}/.terraform/modules/modules.json`, `${p.home}/.terraform.d/plugin-cache/registry.terraform.io/hashicorp/aws/5.60.0/linux_amd64/CHANGELOG.md`],
  urls: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_metric_alarm', 'https://developer.hashicorp.com/terraform/language/tests', 'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html'],
  searches: ['terraform aws ecs service deployment circuit breaker', 'terraform test mock provider example', 'tflint aws ruleset deprecated'],
  prompts: ['Add CloudWatch alarms for 5xx errors on the API service', 'terraform validate fails in envs/dev, fix it', 'Move the VPC endpoints into the network module', 'Tighten the IAM policy of the service role', 'Write terraform tests for the network module'],
};

const docsSite: KindSpec = {
  names: ['docs', 'handbook', 'developer-portal', 'blog'],
  sources: ['docs/index.md', 'docs/getting-started.md', 'docs/guides/authentication.md', 'docs/guides/webhooks.md', 'docs/reference/api.md', 'docs/reference/cli.md', 'docs/faq.md', 'blog/2026-10-release.md', 'src/theme/Footer.js'],
  tests: ['scripts/check-links.mjs'],
  configs: ['mkdocs.yml', 'package.json', 'docusaurus.config.js', 'sidebars.js', 'README.md', '.markdownlint.json'],
  docs: ['README.md', 'CONTRIBUTING.md'],
  newFiles: ['docs/guides/rate-limits.md', 'docs/guides/migration-v3.md', 'blog/2026-11-changelog.md'],
  grep: ['webhook', 'api_key', 'TODO', 'deprecated', '](../', 'sidebar_position'],
  globs: ['docs/**/*.md', 'blog/*.md', '**/*.mdx'],
  fileType: 'md',
  test: (rng, _p, pass) => c(rng.pick(['npx markdownlint-cli2 "docs/**/*.md"', 'node scripts/check-links.mjs', 'npx cspell "docs/**/*.md"', 'vale docs/']), 'Check the docs', pass ? ok(`Summary: 0 error(s)`) : { stdout: `docs/guides/webhooks.md:${rng.int(3, 80)} MD040/fenced-code-language Fenced code blocks should have a language specified`, exit: 1 }),
  build: (rng, _p, pass) => c(rng.pick(['npm run build', 'mkdocs build --strict', 'npx docusaurus build']), 'Build the site', pass ? ok(`[SUCCESS] Generated static files in "build".`, rng.int(8000, 60000)) : { stderr: `WARNING -  Doc file 'guides/webhooks.md' contains a link 'reference/events.md', but the target is not found among documentation files.\nAborted with 1 warnings in strict mode!`, exit: 1 }),
  lint: (rng, _p, pass) => c(rng.pick(['npx prettier --check "docs/**/*.md"', 'npx prettier --write docs']), 'Format the docs', pass ? ok('All matched files use Prettier code style!') : { stdout: '[warn] docs/faq.md', exit: 1 }),
  misc: [
    [1, () => c('ls docs docs/guides', 'List the docs', ok('index.md getting-started.md guides reference faq.md\nauthentication.md webhooks.md'))],
    [1, () => c('git log --oneline -5 -- docs/', 'Recent docs commits', ok('1a2b3c4 docs: webhooks retries'))],
  ],
  edges: [
    [2, () => c('npm run start -- --port 3000', 'Start the docs dev server', { background: true })],
    [1, () => c('mkdocs serve -a 127.0.0.1:8000', 'Serve the docs locally', { background: true })],
    [1, () => c('python3 -m http.server 8000 --bind 127.0.0.1 --directory build', 'Serve the built site locally', { background: true })],
    [2, () => c('curl -s http://localhost:3000/docs/guides/webhooks | grep -c "<h2"', 'Check the rendered page', ok('6'))],
    [2, (rng) => c(`curl -sI ${rng.pick(['https://api.acme.dev/v2/openapi.json', 'https://status.acme.dev', 'https://github.com/acme/sdk-js/releases'])} | head -1`, 'Check that a linked URL resolves', ok('HTTP/2 200'))],
    [1, () => c('npm install @docusaurus/plugin-client-redirects', 'Add the redirects plugin', ok('added 3 packages in 4s', 4000))],
  ],
  outside: (_rng, p) => [`${p.dir}/node_modules/@docusaurus/core/README.md`],
  urls: ['https://docusaurus.io/docs/markdown-features/admonitions', 'https://www.mkdocs.org/user-guide/configuration/', 'https://docs.github.com/en/rest/webhooks', 'https://squidfunk.github.io/mkdocs-material/reference/code-blocks/'],
  searches: ['docusaurus versioned docs sidebar', 'mkdocs material tabs syntax', 'how to document webhook signature verification'],
  prompts: ['Write a guide on rate limits based on the API reference', 'The build fails in strict mode, fix the broken links', 'Add a FAQ entry about webhook retries', 'Proofread docs/getting-started.md', 'Write the changelog post for the November release'],
};

const devops: KindSpec = {
  names: ['dotfiles', 'platform-scripts', 'dev-env', 'ops-toolbox'],
  sources: ['install.sh', 'scripts/bootstrap.sh', 'scripts/backup.sh', 'scripts/deploy.sh', 'zsh/aliases.zsh', 'nvim/init.lua', 'git/gitconfig', 'docker-compose.yml', 'k8s/api-deployment.yaml', 'ansible/site.yml', 'charts/api/values.yaml'],
  tests: ['tests/bootstrap.bats'],
  configs: ['.github/workflows/ci.yml', '.github/workflows/release.yml', 'Makefile', 'README.md', '.env.example', '.shellcheckrc'],
  docs: ['README.md'],
  newFiles: ['scripts/healthcheck.sh', 'k8s/api-hpa.yaml', '.github/workflows/lint.yml'],
  grep: ['set -euo pipefail', 'docker compose', 'kubectl', 'TODO', 'export PATH', 'image:'],
  globs: ['scripts/*.sh', '.github/workflows/*.yml', 'k8s/*.yaml', '**/*.zsh'],
  fileType: 'sh',
  test: (rng, _p, pass) => c(rng.pick(['shellcheck scripts/*.sh install.sh', 'bats tests/', 'make test']), 'Check the scripts', pass ? ok('') : { stdout: `In scripts/backup.sh line ${rng.int(3, 40)}:\ncp $SRC $DEST\n   ^--^ SC2086 (info): Double quote to prevent globbing and word splitting.`, exit: 1 }),
  build: (rng, _p, pass) => c(rng.pick(['docker compose build', 'helm lint charts/api', 'helm template charts/api | head -80', 'ansible-playbook -i inventory/dev ansible/site.yml --check']), 'Build or render', pass ? ok('==> Linting charts/api\n1 chart(s) linted, 0 chart(s) failed', 8000) : { stderr: 'Error: YAML parse error on api/templates/deployment.yaml: error converting YAML to JSON', exit: 1 }),
  lint: (rng, _p, pass) => c(rng.pick(['yamllint .github/workflows', 'actionlint', 'shfmt -d scripts']), 'Lint the configuration', pass ? ok('') : { stdout: '.github/workflows/ci.yml:14:9: property "node-version" is not defined [expression]', exit: 1 }),
  misc: [
    [2, () => c('docker ps --format "table {{.Names}}\\t{{.Status}}"', 'List running containers', ok('NAMES        STATUS\napi-1        Up 2 hours\npostgres-1   Up 2 hours'))],
    [1, () => c('uname -a && df -h / | tail -1', 'Show system information', ok('Linux devbox 6.8.0-45-generic x86_64 GNU/Linux\n/dev/nvme0n1p2  468G  201G  244G  46% /'))],
    [1, () => c('systemctl status docker --no-pager | head -5', 'Check the docker service', ok('● docker.service - Docker Application Container Engine\n     Active: active (running) since Mon 2026-11-23 08:01:12 UTC'))],
    [1, (rng) => c(`kubectl get pods -n ${rng.pick(['staging', 'dev'])}`, 'List pods', ok('NAME                   READY   STATUS    RESTARTS   AGE\napi-7d9f8b6c5-x2k9p    1/1     Running   0          3h'))],
    [1, () => c('kubectl config get-contexts', 'List kube contexts', ok('CURRENT   NAME      CLUSTER   AUTHINFO\n*         staging   staging   dev'))],
  ],
  edges: [
    [3, () => c('ssh -T git@github.com', 'Check GitHub SSH access', { stderr: "Hi dev! You've successfully authenticated, but GitHub does not provide shell access.", exit: 1 })],
    [3, () => c('docker compose up -d', 'Start the stack', { stderr: ' ✔ Container dev-postgres-1  Started\n ✔ Container dev-api-1       Started', ms: 9000 })],
    [3, () => c('sudo apt-get install -y jq', 'Install jq', ok('Setting up jq (1.7.1-3build1) ...', 6000))],
    [2, () => c('sudo apt-get update', 'Refresh package lists', ok('Reading package lists... Done', 8000))],
    [3, () => c('npm install lodash', 'Add lodash', ok('added 1 package in 1s'))],
    [3, () => c('pip install requests', 'Install requests', ok('Successfully installed requests-2.32.3'))],
    [3, () => c('curl -s http://localhost:3000/health', 'Check the local service', ok('{"status":"ok"}'))],
    [3, () => c('rm -rf node_modules dist', 'Remove build outputs', ok())],
    [3, () => c('chmod +x scripts/*.sh', 'Make the scripts executable', ok())],
    [3, () => c('cp .env.example .env', 'Create a local env file', ok())],
    [2, () => c('ls -la ~/.ssh', 'List SSH files', ok('total 24\n-rw-------  1 dev dev  411 Mar  2  2025 id_ed25519\n-rw-r--r--  1 dev dev   98 Mar  2  2025 id_ed25519.pub\n-rw-r--r--  1 dev dev 1830 Nov 20 09:12 known_hosts\n-rw-r--r--  1 dev dev  214 Oct  1 11:00 config'))],
    [2, () => c('cat ~/.ssh/config', 'Show the SSH client configuration', ok('Host github.com\n  User git\n  IdentityFile ~/.ssh/id_ed25519\n  AddKeysToAgent yes'))],
    [2, () => c('ssh-add -l', 'List loaded SSH keys', ok('256 SHA256:Jq4c1mRkq8pYhQ0uJbL2mF3y1X6gLr9s0wq5KJdVb3E dev@devbox (ED25519)'))],
    [2, (rng) => c(`kubectl logs deploy/api -n staging --tail=${rng.pick([50, 100, 200])}`, 'Show API logs', ok('2026-11-24T09:12:01Z INFO request served path=/health status=200'))],
    [2, () => c('gh run list --limit 5', 'List recent CI runs', ok('completed  success  ci  main  push  1183420021  1m32s'))],
    [1, (rng) => c(`gh run view ${rng.int(1000000000, 1999999999)} --log-failed | tail -40`, 'Show the failing CI step', ok('npm ERR! Missing script: "lint:ci"'))],
    [1, () => c('stow --simulate -v zsh git nvim', 'Preview the dotfile links', ok('LINK: .zshrc => dotfiles/zsh/.zshrc\nLINK: .gitconfig => dotfiles/git/gitconfig'))],
    [1, () => c('git config user.email "dev@acme.dev"', 'Set the commit email for this repository', ok())],
    [1, () => c('docker compose logs --tail=100 api', 'Show API container logs', ok('api-1  | listening on :3000'))],
    [1, () => c('sudo systemctl restart docker', 'Restart docker', ok('', 3000))],
    [1, () => c('journalctl --user -u syncthing --since "1 hour ago" --no-pager | tail -20', 'Show recent service logs', ok('Nov 24 09:01:02 devbox syncthing[1201]: INFO: Completed initial scan'))],
  ],
  outside: (rng, p) => [`${p.home}/.gitconfig`, `${p.home}/.config/nvim/init.lua`, `${p.home}/.zshrc`, `${p.home}/.ssh/config`, `${p.home}/.config/starship.toml`].slice(0, rng.int(1, 5)),
  urls: ['https://docs.github.com/en/actions/using-workflows/workflow-syntax-for-github-actions', 'https://docs.docker.com/compose/compose-file/05-services/', 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/', 'https://www.shellcheck.net/wiki/SC2086', 'https://helm.sh/docs/chart_template_guide/'],
  searches: ['github actions cache node modules setup-node', 'docker compose healthcheck depends_on condition', 'kubectl rollout restart vs delete pod'],
  prompts: ['Set up a GitHub Actions workflow that lints the shell scripts', 'My push to GitHub fails with permission denied (publickey), help', 'Add a healthcheck script for the local stack', 'Install jq and use it in scripts/deploy.sh instead of grep', 'The CI run fails on the lint step, look at the logs and fix it', 'Add an HPA for the api deployment'],
};

export const KINDS: Record<ProjectKindId, KindSpec> = {
  'node-web': nodeWeb, 'python-ml': pythonMl, 'rust-cli': rustCli, 'go-service': goService, terraform, 'docs-site': docsSite, devops,
};
