// Writes docs/rules.md from the built rule pack: `npm run build && node scripts/rules-doc.mjs`.
import { writeFileSync } from 'node:fs';
import { BUILTIN_RULES } from '../dist/core/detect/rules/index.js';
import { ANOMALY_RULES, CORRELATION_RULES } from '../dist/core/detect/rules/meta.js';

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const rows = [...BUILTIN_RULES, ...CORRELATION_RULES, ...ANOMALY_RULES].map(
  (r) => `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${[...r.events, ...(r.tools.length ? [`(${r.tools.join(', ')})`] : [])].join(' ')} | ${r.attack.join(' ')} | ${[...r.atlas, ...r.owasp].join(' ')} | ${cell(r.description)} |`,
);
const text = `# Built-in detection rules

Generated from the rule pack by \`node scripts/rules-doc.mjs\` (after \`npm run build\`); \`agenttrail rules\` shows the
same list with your overrides applied. Severity is the default before escalation (docs/specs/detections.md §4).
ATT&CK ids use v18 numbering.

| id | severity | title | on | ATT&CK | ATLAS / OWASP | what it matches |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
writeFileSync(new URL('../docs/rules.md', import.meta.url), text);
console.log(`docs/rules.md: ${rows.length} rules`);
