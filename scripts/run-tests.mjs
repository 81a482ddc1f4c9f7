// Runs the whole suite: fast tests in parallel, then the end-to-end tests (real Claude Code) one
// file at a time, and ends with the line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const extra = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'agenttrail-tests-'));
const runs = [
  { name: 'unit+integration', args: ['--exclude', 'test/e2e/**'] },
  { name: 'e2e', args: ['test/e2e', '--no-file-parallelism', '--passWithNoTests'] },
];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const [i, run] of runs.entries()) {
  const out = join(dir, `report-${i}.json`);
  const res = spawnSync('npx', ['vitest', 'run', ...run.args, ...extra, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    stdio: 'inherit',
  });
  let report;
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    console.error(`${run.name}: vitest wrote no report (exit ${res.status}); counting the run as one failure.`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  // A file that failed before running any test (import error, crash) counts as one failure.
  const brokenFiles = (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + report.numTodoTests;
  if (res.status !== 0 && report.numFailedTests === 0 && brokenFiles === 0) failed += 1;
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
