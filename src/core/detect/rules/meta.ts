/** Rules implemented by the engine itself rather than by a match function: correlations and anomalies. */
import type { RuleMeta } from '../types.js';

const base = { attackVersion: 'v18', tools: [] as string[] };

export const CORRELATION_RULES: readonly RuleMeta[] = [
  {
    ...base,
    id: 'AGT-CORR-001',
    title: 'Sensitive action shortly after untrusted content (possible indirect prompt injection)',
    category: 'CORR',
    severity: 'high',
    events: ['PreToolUse'],
    attack: ['T1204', 'T1552', 'T1567'],
    atlas: ['AML.T0051.001', 'AML.T0053', 'AML.T0086'],
    owasp: ['ASI01'],
    description:
      'Web, MCP or out-of-project content taints a session for 15 tool calls or 10 minutes; credential, exfiltration, execution, persistence, tamper or destruction hits in that window are raised one level and linked to the tainting event.',
  },
  {
    ...base,
    id: 'AGT-CORR-002',
    title: 'Credential or secret access followed by network egress',
    category: 'CORR',
    severity: 'high',
    events: ['PreToolUse'],
    attack: ['T1552', 'T1041', 'T1567'],
    atlas: ['AML.T0086'],
    owasp: ['LLM02:2025', 'ASI02'],
    description:
      'A CRED rule hit or a secret in tool output, followed in the same session within 15 tool calls or 10 minutes by a network command, WebFetch or MCP call to a remote host; critical when the egress is itself an exfiltration hit or the access was a credential store.',
  },
];

export const ANOMALY_RULES: readonly RuleMeta[] = [
  {
    ...base,
    id: 'AGT-ANOM-001',
    title: 'First seen for this user or project',
    category: 'ANOM',
    severity: 'low',
    events: ['PreToolUse', 'SessionStart'],
    attack: [],
    atlas: ['AML.T0053'],
    owasp: ['ASI02'],
    description: 'A binary, external domain, directory outside the project, MCP tool or permission mode never seen before for this user or project, after a warm-up.',
  },
  {
    ...base,
    id: 'AGT-ANOM-002',
    title: 'Unusual tool sequence',
    category: 'ANOM',
    severity: 'low',
    events: ['PreToolUse'],
    attack: [],
    atlas: ['AML.T0053'],
    owasp: ['ASI02'],
    description: 'The session moved between tools in a way rarely or never seen (first-order Markov surprise above the 98th percentile of clean sessions).',
  },
  {
    ...base,
    id: 'AGT-ANOM-003',
    title: 'Unusual session volume',
    category: 'ANOM',
    severity: 'low',
    events: ['PreToolUse', 'SessionEnd', 'Stop'],
    attack: [],
    atlas: [],
    owasp: ['LLM10:2025'],
    description: 'A per-session rate (events per minute, reads, out-of-project paths, network tools, bytes written, subagents) far from this user\'s recent sessions (|modified z| > 3.5).',
  },
];
