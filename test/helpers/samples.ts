import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real Claude Code 2.1.328 hook payloads and transcript (copied from shared/samples). */
export const SAMPLES_DIR = fileURLToPath(new URL('../fixtures/claude-code-2.1.328/', import.meta.url));

/** Loads one of the recorded hook sessions as parsed payloads. */
export function loadSampleSession(name: 'benign-session' | 'failures-and-subagent'): Record<string, unknown>[] {
  return readFileSync(`${SAMPLES_DIR}${name}.hooks.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
