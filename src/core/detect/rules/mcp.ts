/**
 * MCP (reference B.4): MCP tools whose names say they execute, write, delete or send. First-seen
 * tools are the anomaly engine's job (AGT-ANOM-001); this rule covers the capability part.
 */
import { defineRule, hit } from '../rule-kit.js';
import type { Rule } from '../types.js';

/** Capability words, matched against the tool part of `mcp__<server>__<tool>` split into words. */
const CAPABILITY_WORDS = new Set([
  'exec', 'execute', 'shell', 'bash', 'terminal', 'eval', 'evaluate', 'delete', 'http', 'https', 'fetch', 'request', 'upload', 'send', 'post',
]);
/** Word pairs that form a capability (`run_command`, `write_file`, `runCommand`, `writeFile`). */
const CAPABILITY_PAIRS = new Set(['run command', 'run shell', 'run script', 'write file', 'exec command']);
/** `pull_request` / `merge_request` are code-review objects, not HTTP requests. */
const REVIEW_REQUEST = /^(pull|merge)$/;

/** Splits a tool name into lowercase words (`run_command`, `runCommand`, `http-get` → run command / http get). */
export function toolWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase());
}

/** The capability an MCP tool name announces, or ''. */
export function mcpCapability(toolName: string): string {
  const tool = toolName.split('__').slice(2).join('__') || toolName.replace(/^mcp__/, '');
  const words = toolWords(tool);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (i + 1 < words.length && CAPABILITY_PAIRS.has(`${w} ${words[i + 1]}`)) return `${w}_${words[i + 1]}`;
    if (CAPABILITY_WORDS.has(w) && !(w === 'request' && REVIEW_REQUEST.test(words[i - 1] ?? ''))) return w;
  }
  return '';
}

const mcp001 = defineRule(
  {
    id: 'AGT-MCP-001',
    title: 'High-capability or first-seen MCP tool',
    category: 'MCP',
    severity: 'low',
    tools: ['mcp__*'],
    attack: ['T1059', 'T1105'],
    atlas: ['AML.T0053', 'AML.T0010.005'],
    owasp: ['ASI02', 'ASI04'],
    description:
      'An MCP tool whose name announces execution, file writes, deletion or network sends (exec, shell, run_command, terminal, eval, write_file, delete, http, fetch, request, upload, send, post): medium. First-seen tools are reported by the anomaly engine (AGT-ANOM-001).',
  },
  (facts) => {
    if (!facts.tool.startsWith('mcp__')) return [];
    const capability = mcpCapability(facts.tool);
    if (!capability) return [];
    const input = JSON.stringify(facts.input);
    return hit(`${facts.tool} ${input}`, 'medium', `The tool name announces a high-capability action (${capability}).`);
  },
);

export const MCP_RULES: Rule[] = [mcp001];
