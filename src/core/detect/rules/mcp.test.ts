import { describe, expect, it } from 'vitest';
import { example, output, testEnv } from '../../../../test/helpers/facts.js';
import { expectRuleMetadata, ruleTable } from '../../../../test/helpers/rule-table.js';
import { MCP_RULES, mcpCapability } from './mcp.js';

const env = await testEnv();
const rule = MCP_RULES[0]!;
// Evidence names the MCP tool.
const table = ruleTable(MCP_RULES, env, { checkHit: (h, { facts }) => expect(h.evidence).toContain(facts.tool) });

describe('MCP rule metadata', () => {
  it('has a well-formed id and mappings', () => {
    expectRuleMetadata(MCP_RULES, 'MCP', ['AGT-MCP-001']);
    expect(rule.severity).toBe('low');
    expect(rule.tools).toEqual(['mcp__*']);
  });
});

table(
  'AGT-MCP-001',
  [
    // catalogue
    'mcp__shell__run_command {"cmd":"id"}',
    'mcp__fs__write_file {"path":"/etc/x","content":"y"}',
    // variants
    'mcp__browser__fetch {"url":"https://x.example"}',
    'mcp__slack__send_message {"channel":"c","text":"t"}',
    'mcp__db__delete_rows {"table":"t"}',
    'mcp__x__runCommand {"c":"ls"}',
    'mcp__x__http_request {"url":"https://x.example"}',
    'mcp__x__writeFile {"path":"a"}',
    'mcp__sql__execute_sql {"sql":"select 1"}',
    'mcp__term__terminal_exec {"c":"ls"}',
    'mcp__node__eval {"code":"1"}',
  // One hit each, at medium (above the rule's low).
  ].map((spec) => ({ name: spec, facts: () => example(spec), severity: 'medium' as const, count: 1 })),
  [
    // catalogue
    'mcp__github__get_issue {"number":1}',
    'mcp__docs__search {"q":"x"}',
    // look-alikes
    'mcp__github__create_pull_request {"title":"x"}',
    'mcp__github__list_pull_requests {}',
    'mcp__postgres__query {"sql":"SELECT 1"}',
    'mcp__blog__get_posts {}',
    'mcp__gitlab__get_merge_request {"iid":1}',
    'mcp__shellcheck__lint {"file":"a.sh"}',
    'mcp__evaluator_docs__read {"id":1}',
  ],
);

describe('AGT-MCP-001', () => {
  it('is silent on non-MCP tools and looks at the tool part only', () => {
    expect(rule.match(example('Bash: echo run_command'), env)).toEqual([]);
    expect(mcpCapability('mcp__exec_server__list_items')).toBe('');
    expect(mcpCapability('mcp__x__run_shell')).toBe('run_shell');
    expect(rule.match(output('mcp__shell__run_command', { cmd: 'id' }, 'uid=0'), env)).toHaveLength(1);
  });
});
