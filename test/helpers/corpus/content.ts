/**
 * Plausible file contents per language, so Read outputs, Edit strings and Write contents look and
 * weigh like real ones (secret and injection scanners read them, and their cost depends on size).
 */
import type { Rng } from './rng.js';

const NOUNS = ['user', 'order', 'invoice', 'session', 'payment', 'cart', 'product', 'report', 'metric', 'config', 'cache', 'queue', 'job', 'event', 'record', 'account', 'profile', 'item', 'batch', 'model', 'dataset', 'feature', 'route', 'handler', 'client', 'request', 'response', 'parser', 'command', 'option', 'schema', 'migration', 'template', 'page', 'layout', 'widget', 'price', 'tenant', 'webhook', 'upload'];
const VERBS = ['get', 'load', 'parse', 'build', 'create', 'update', 'delete', 'list', 'find', 'validate', 'format', 'render', 'compute', 'fetch', 'save', 'apply', 'merge', 'normalize', 'resolve', 'register'];

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const snake = (a: string, b: string) => `${a}_${b}`;
const camel = (a: string, b: string) => `${a}${cap(b)}`;

function ident(rng: Rng): { verb: string; noun: string } {
  return { verb: rng.pick(VERBS), noun: rng.pick(NOUNS) };
}

function tsBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  const T = cap(noun);
  switch (rng.int(0, 5)) {
    case 0:
      return [`export interface ${T} {`, `  id: string;`, `  ${rng.pick(NOUNS)}Id: string;`, `  createdAt: Date;`, `  status: '${rng.pick(['active', 'pending'])}' | 'archived';`, `}`, ''];
    case 1:
      return [
        `export async function ${camel(verb, noun)}(id: string): Promise<${T} | undefined> {`,
        `  const res = await db.${noun}.findUnique({ where: { id } });`,
        `  if (!res) return undefined;`,
        `  return { ...res, createdAt: new Date(res.createdAt) };`,
        `}`, '',
      ];
    case 2:
      return [
        `export function ${camel(verb, noun)}(input: ${T}[], limit = ${rng.int(5, 100)}): ${T}[] {`,
        `  return input`,
        `    .filter((x) => x.status !== 'archived')`,
        `    .slice(0, limit);`,
        `}`, '',
      ];
    case 3:
      return [`// TODO: ${verb} ${noun}s in batches once the API supports it`, `const ${noun.toUpperCase()}_TTL_MS = ${rng.int(1, 60)} * 60_000;`, ''];
    case 4:
      return [
        `router.${rng.pick(['get', 'post', 'put'])}('/api/${noun}s/:id', async (req, res) => {`,
        `  const ${noun} = await ${camel(verb, noun)}(req.params.id);`,
        `  if (!${noun}) return res.status(404).json({ error: 'not found' });`,
        `  res.json(${noun});`,
        `});`, '',
      ];
    default:
      return [`export const ${camel(verb, noun)} = (${noun}: ${T}) => ({`, `  ...${noun},`, `  label: \`\${${noun}.id}\`,`, `});`, ''];
  }
}

function pyBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  switch (rng.int(0, 4)) {
    case 0:
      return [`def ${snake(verb, noun)}(df: pd.DataFrame, col: str = "${noun}") -> pd.DataFrame:`, `    """${cap(verb)} the ${noun} column."""`, `    out = df.copy()`, `    out[col] = out[col].fillna(${rng.int(0, 9)})`, `    return out`, '', ''];
    case 1:
      return [`class ${cap(noun)}${cap(verb)}er:`, `    def __init__(self, cfg: dict):`, `        self.cfg = cfg`, `        self.n_${noun}s = cfg.get("n_${noun}s", ${rng.int(2, 64)})`, '', `    def __call__(self, batch):`, `        return [self.cfg["scale"] * x for x in batch]`, '', ''];
    case 2:
      return [`@pytest.mark.parametrize("n", [1, ${rng.int(2, 9)}, ${rng.int(10, 99)}])`, `def test_${snake(verb, noun)}(n):`, `    result = ${snake(verb, noun)}(make_frame(n))`, `    assert len(result) == n`, '', ''];
    case 3:
      return [`import numpy as np`, `import pandas as pd`, `from sklearn.model_selection import train_test_split`, ''];
    default:
      return [`LEARNING_RATE = ${rng.int(1, 9)}e-${rng.int(2, 5)}`, `EPOCHS = ${rng.int(3, 50)}`, `logger = logging.getLogger(__name__)`, ''];
  }
}

function rsBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  switch (rng.int(0, 3)) {
    case 0:
      return [`#[derive(Debug, Clone, Serialize, Deserialize)]`, `pub struct ${cap(noun)} {`, `    pub id: u64,`, `    pub name: String,`, `    pub tags: Vec<String>,`, `}`, ''];
    case 1:
      return [`pub fn ${snake(verb, noun)}(path: &Path) -> Result<${cap(noun)}> {`, `    let raw = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;`, `    let value: ${cap(noun)} = toml::from_str(&raw)?;`, `    Ok(value)`, `}`, ''];
    case 2:
      return [`#[test]`, `fn ${snake(verb, noun)}_works() {`, `    let v = ${snake(verb, noun)}(Path::new("tests/fixtures/${noun}.toml")).unwrap();`, `    assert_eq!(v.tags.len(), ${rng.int(0, 5)});`, `}`, ''];
    default:
      return [`use anyhow::{Context, Result};`, `use clap::Parser;`, `use std::{fs, path::Path};`, ''];
  }
}

function goBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  switch (rng.int(0, 3)) {
    case 0:
      return [`type ${cap(noun)} struct {`, `\tID        string    \`json:"id"\``, `\tCreatedAt time.Time \`json:"created_at"\``, `}`, ''];
    case 1:
      return [`func (s *Server) ${cap(verb)}${cap(noun)}(w http.ResponseWriter, r *http.Request) {`, `\tid := chi.URLParam(r, "id")`, `\tv, err := s.store.${cap(verb)}${cap(noun)}(r.Context(), id)`, `\tif err != nil {`, `\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)`, `\t\treturn`, `\t}`, `\twriteJSON(w, v)`, `}`, ''];
    case 2:
      return [`func Test${cap(verb)}${cap(noun)}(t *testing.T) {`, `\tt.Parallel()`, `\tgot, err := ${verb}${cap(noun)}(context.Background(), "x")`, `\trequire.NoError(t, err)`, `\trequire.NotNil(t, got)`, `}`, ''];
    default:
      return [`import (`, `\t"context"`, `\t"net/http"`, `\t"time"`, `)`, ''];
  }
}

function hclBlock(rng: Rng): string[] {
  const { noun } = ident(rng);
  switch (rng.int(0, 3)) {
    case 0:
      return [`resource "aws_s3_bucket" "${noun}" {`, `  bucket = "\${var.prefix}-${noun}s"`, `  tags   = local.tags`, `}`, ''];
    case 1:
      return [`variable "${noun}_count" {`, `  type        = number`, `  description = "How many ${noun}s to run"`, `  default     = ${rng.int(1, 6)}`, `}`, ''];
    case 2:
      return [`module "${noun}" {`, `  source  = "../../modules/${noun}"`, `  env     = var.env`, `  vpc_id  = module.network.vpc_id`, `}`, ''];
    default:
      return [`output "${noun}_arn" {`, `  value = aws_iam_role.${noun}.arn`, `}`, ''];
  }
}

function mdBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  switch (rng.int(0, 3)) {
    case 0:
      return [`## ${cap(verb)} ${noun}s`, '', `Use \`${verb}\` to ${verb} ${noun}s. It reads the configuration from \`config/${noun}.yml\`.`, ''];
    case 1:
      return ['```bash', `npm run ${verb}:${noun}`, '```', ''];
    case 2:
      return [`- **${noun}**: the ${noun} to ${verb}`, `- **limit**: at most ${rng.int(5, 500)} per call`, ''];
    default:
      return [`![${noun} diagram](./img/${noun}-flow.png)`, '', `See [the ${noun} guide](../guides/${noun}.md) for details.`, ''];
  }
}

function shBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  return rng.pick([
    [`${verb}_${noun}() {`, `  local target="$1"`, `  echo "==> ${verb} ${noun} $target"`, `  [ -d "$target" ] || mkdir -p "$target"`, `}`, ''],
    [`if command -v ${rng.pick(['jq', 'fzf', 'rg', 'bat'])} >/dev/null 2>&1; then`, `  export HAS_${noun.toUpperCase()}=1`, `fi`, ''],
    [`alias ${noun.slice(0, 2)}='${rng.pick(['git status -sb', 'ls -la', 'kubectl get pods'])}'`, ''],
  ]);
}

function yamlBlock(rng: Rng): string[] {
  const { verb, noun } = ident(rng);
  return rng.pick([
    [`  ${verb}-${noun}:`, `    runs-on: ubuntu-latest`, `    steps:`, `      - uses: actions/checkout@v4`, `      - run: make ${verb}`, ''],
    [`${noun}:`, `  enabled: true`, `  replicas: ${rng.int(1, 5)}`, `  image: ghcr.io/acme/${noun}:${rng.int(1, 9)}.${rng.int(0, 20)}.0`, ''],
  ]);
}

function sqlBlock(rng: Rng): string[] {
  const { noun } = ident(rng);
  return [`CREATE TABLE IF NOT EXISTS ${noun}s (`, `  id BIGSERIAL PRIMARY KEY,`, `  name TEXT NOT NULL,`, `  created_at TIMESTAMPTZ NOT NULL DEFAULT now()`, `);`, `CREATE INDEX IF NOT EXISTS ${noun}s_created_idx ON ${noun}s (created_at);`, ''];
}

const BLOCKS: Record<string, (rng: Rng) => string[]> = {
  ts: tsBlock, tsx: tsBlock, js: tsBlock, mjs: tsBlock, py: pyBlock, rs: rsBlock, go: goBlock, tf: hclBlock, hcl: hclBlock,
  md: mdBlock, mdx: mdBlock, sh: shBlock, yml: yamlBlock, yaml: yamlBlock, sql: sqlBlock, lua: shBlock,
};

/** A file of about `lines` lines for the path's language. */
export function fileContent(rng: Rng, path: string, lines?: number): string {
  const base = path.split('/').pop() ?? path;
  const special = specialFile(rng, base);
  if (special !== undefined) return special;
  const ext = base.includes('.') ? base.split('.').pop()! : '';
  const block = BLOCKS[ext] ?? mdBlock;
  const target = lines ?? rng.logNormal(110, 0.8, 6, 1500);
  const out: string[] = [];
  if (ext === 'md' || ext === 'mdx') out.push(`# ${cap(base.replace(/\.\w+$/, '').replace(/[-_]/g, ' '))}`, '');
  while (out.length < target) out.push(...block(rng));
  return `${out.join('\n')}\n`;
}

function specialFile(rng: Rng, base: string): string | undefined {
  switch (base) {
    case 'package.json':
      return `${JSON.stringify({
        name: rng.pick(['web', 'app', 'dashboard', 'storefront']), version: `${rng.int(0, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`, private: true, type: 'module',
        scripts: { dev: 'vite', build: 'tsc -b && vite build', test: 'vitest run', lint: 'eslint .', typecheck: 'tsc --noEmit', prepare: 'husky' },
        dependencies: { react: '^19.1.0', 'react-dom': '^19.1.0', zod: '^3.23.8', '@tanstack/react-query': '^5.51.1' },
        devDependencies: { typescript: '^5.8.2', vite: '^6.3.1', vitest: '^3.2.0', eslint: '^9.9.0', prettier: '^3.3.3', '@types/node': '^22.5.0' },
      }, null, 2)}\n`;
    case 'Cargo.toml':
      return `[package]\nname = "${rng.pick(['logq', 'tidy', 'rgx', 'shipit'])}"\nversion = "0.${rng.int(1, 9)}.0"\nedition = "2021"\n\n[dependencies]\nanyhow = "1"\nclap = { version = "4", features = ["derive"] }\nserde = { version = "1", features = ["derive"] }\ntoml = "0.8"\n\n[dev-dependencies]\nassert_cmd = "2"\n`;
    case 'go.mod':
      return `module github.com/acme/${rng.pick(['orders', 'billing', 'gateway'])}\n\ngo 1.23\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.1.0\n\tgithub.com/jackc/pgx/v5 v5.6.0\n\tgithub.com/stretchr/testify v1.9.0\n)\n`;
    case 'pyproject.toml':
      return `[project]\nname = "${rng.pick(['churn-model', 'forecast', 'featurestore'])}"\nversion = "0.${rng.int(1, 9)}.0"\nrequires-python = ">=3.11"\ndependencies = ["pandas>=2.2", "scikit-learn>=1.5", "numpy>=1.26"]\n\n[tool.ruff]\nline-length = 100\n\n[tool.pytest.ini_options]\naddopts = "-q"\n`;
    case 'requirements.txt':
      return 'pandas==2.2.2\nnumpy==1.26.4\nscikit-learn==1.5.1\nmatplotlib==3.9.0\npytest==8.3.2\n';
    case '.env':
      return '';
    case '.gitconfig':
    case 'gitconfig':
      return `[user]\n\tname = ${rng.pick(['Alice Example', 'Dev'])}\n\temail = dev@acme.dev\n[init]\n\tdefaultBranch = main\n[pull]\n\trebase = true\n[alias]\n\tst = status -sb\n\tlg = log --oneline --graph\n`;
    case '.zshrc':
      return `export ZSH="$HOME/.oh-my-zsh"\nZSH_THEME="robbyrussell"\nplugins=(git docker kubectl)\nsource $ZSH/oh-my-zsh.sh\nexport PATH="$HOME/.local/bin:$HOME/go/bin:$PATH"\neval "$(starship init zsh)"\n`;
    case 'config':
      return 'Host github.com\n  User git\n  IdentityFile ~/.ssh/id_ed25519\n\nHost devbox\n  HostName 10.0.4.12\n  User dev\n';
    case 'starship.toml':
      return '[git_branch]\nsymbol = " "\n\n[nodejs]\ndisabled = false\n';
    case 'Dockerfile':
      return `FROM ${rng.pick(['node:22-alpine', 'python:3.12-slim', 'golang:1.23', 'rust:1.80'])} AS build\nWORKDIR /app\nCOPY . .\nRUN ${rng.pick(['npm ci && npm run build', 'pip install -r requirements.txt', 'go build -o /out/server ./cmd/server', 'cargo build --release'])}\n\nFROM gcr.io/distroless/base\nCOPY --from=build /app /app\nCMD ["/app/server"]\n`;
    case 'Makefile':
      return `.PHONY: build test lint\n\nbuild:\n\tgo build ./...\n\ntest:\n\tgo test ./... -race\n\nlint:\n\tgolangci-lint run\n`;
    case 'tsconfig.json':
      return `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, jsx: 'react-jsx', noEmit: true }, include: ['src'] }, null, 2)}\n`;
    default:
      return undefined;
  }
}

/** A realistic local-development .env (what an agent sees when it reads one). */
export function dotEnv(rng: Rng, kind: string): string {
  const db = rng.pick(['app', 'orders', 'shop', 'metrics']);
  const lines = [
    `NODE_ENV=development`,
    `DATABASE_URL=postgres://${db}:${rng.pick(['postgres', 'devpass', 'localdev'])}@localhost:5432/${db}_dev`,
    `REDIS_URL=redis://localhost:6379/0`,
    `PORT=${rng.pick([3000, 8000, 8080, 5173])}`,
    `LOG_LEVEL=debug`,
  ];
  if (rng.chance(0.6)) lines.push(`STRIPE_SECRET_KEY=sk_test_${rng.alnum(24)}`);
  if (rng.chance(0.4)) lines.push(`SENTRY_DSN=https://${rng.hex(32)}@o${rng.int(100000, 999999)}.ingest.sentry.io/${rng.int(1000000, 9999999)}`);
  if (kind === 'python-ml' && rng.chance(0.5)) lines.push(`WANDB_API_KEY=${rng.hex(40)}`);
  if (rng.chance(0.3)) lines.push(`JWT_SECRET=${rng.alnum(32)}`);
  return `${lines.join('\n')}\n`;
}
