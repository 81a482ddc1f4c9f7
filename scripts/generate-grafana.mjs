// Writes the generated Grafana dashboards and Loki ruler rules under deploy/ from src/grafana/
// (`npm run grafana:generate`, which builds dist/ first). Refuses to write when any LogQL expression
// fails the linter. `--check` only reports files that differ from what would be generated (exit 1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_LOGQL, artifacts } from '../dist/grafana/index.js';
import { lintLogql, templateLabelRefs } from '../dist/grafana/logql/lint.js';

const root = new URL('..', import.meta.url);
const check = process.argv.includes('--check');

let problems = 0;
for (const u of ALL_LOGQL) {
  const r = lintLogql(u.expr, { variables: u.variables, expect: u.expect, labelRefs: u.templates.flatMap(templateLabelRefs) });
  for (const i of r.issues) {
    problems++;
    console.error(`${u.where}: [${i.rule}] ${i.message}\n  ${r.query}`);
  }
}
if (problems > 0) {
  console.error(`${problems} LogQL problem(s): nothing written`);
  process.exit(1);
}

let stale = 0;
for (const a of artifacts()) {
  const file = new URL(a.path, root);
  let current = null;
  try { current = readFileSync(file, 'utf8'); } catch { /* new file */ }
  if (current === a.content) continue;
  stale++;
  if (check) {
    console.error(`${a.path}: out of date`);
  } else {
    mkdirSync(dirname(fileURLToPath(file)), { recursive: true });
    writeFileSync(file, a.content);
    console.log(`wrote ${a.path}`);
  }
}
console.log(`${ALL_LOGQL.length} LogQL expressions linted; ${stale} file(s) ${check ? 'out of date' : 'written'}`);
if (check && stale > 0) process.exit(1);
