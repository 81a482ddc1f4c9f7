import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../event/schema.js';
import type { EventFacts, FileRef, ShellCommand } from '../types.js';
import { anomalyInputOf, dirClass, registrableDomain } from './tokens.js';

const HOME = '/home/u';
const PROJECT = '/home/u/proj';

interface Spec { hook?: string; tool?: string; commands?: string[]; files?: (string | Partial<FileRef>)[]; urls?: string[]; input?: Record<string, unknown>; mode?: string }

/** Minimal EventFacts: commands are `[wrapper…] argv0` ('$' = dynamic), files are paths (`~` = home, relative = project). */
function facts(o: Spec): EventFacts {
  const tool = o.tool ?? '';
  const commands = (o.commands ?? []).map((c) => c.split(' ')).map((words, i) => ({
    name: words.at(-1) === '$' ? '' : words.at(-1)!, dynamicName: words.at(-1) === '$', word: words.at(-1)!, args: [], wrappers: words.slice(0, -1), wrapperArgs: [], assigns: [], redirects: [],
    pipeline: i, stage: 0, parent: -1, via: 'top', depth: 0, cwd: PROJECT, text: words.join(' '),
  }) satisfies ShellCommand);
  const files = (o.files ?? []).map((f) => {
    const raw = typeof f === 'string' ? f : f.raw ?? '';
    const abs = raw.startsWith('~') ? HOME + raw.slice(1) : raw.startsWith('/') ? raw : `${PROJECT}/${raw}`;
    return { raw, abs, real: abs, access: 'read', via: tool, inProject: abs.startsWith(`${PROJECT}/`), ...(typeof f === 'string' ? {} : f) } satisfies FileRef;
  });
  const urls = (o.urls ?? []).map((raw) => {
    const u = new URL(raw);
    return { raw, host: u.hostname, href: u.href, pathname: u.pathname, search: u.search, via: tool };
  });
  const hookEvent = o.hook ?? 'PreToolUse';
  const event = {
    timestamp: '2026-01-05T09:00:00.000Z', hook_event: hookEvent, session_id: 's1', project_path: PROJECT, tool_name: tool || null,
    metadata: { user_id: 'alice', permission_mode: o.mode ?? '' },
  } as unknown as AgentEvent;
  return {
    event, hookEvent, phase: 'pre', tool, input: o.input ?? {}, output: '', prompt: '', cwd: PROJECT, projectRoot: PROJECT, home: HOME,
    permissionMode: o.mode ?? '', files, urls, texts: [],
    shell: commands.length ? { source: '', commands, pipelines: [], errors: [], uncertain: false } : null,
    resolve: () => ({ abs: '', real: '', inProject: false }),
  };
}

describe('anomaly tokens', () => {
  it.each([
    [{ tool: 'Bash', commands: ['cd', 'sudo nohup npm'] }, ['Bash:cd', 'Bash:npm']],
    [{ tool: 'Bash', commands: ['$', 'ls'] }, ['Bash:$dynamic', 'Bash:ls']],
    [{ tool: 'Bash' }, ['Bash']],
    [{ tool: 'Read', files: ['src/a.ts'] }, ['Read:in']],
    [{ tool: 'Read', files: ['~/.ssh/id_ed25519'] }, ['Read:~/.ssh']],
    [{ tool: 'Read', files: ['~/.aws/credentials'] }, ['Read:~/.aws']],
    [{ tool: 'Edit', files: ['~/.config/gh/hosts.yml'] }, ['Edit:~/.config']],
    [{ tool: 'MultiEdit', files: ['~/.bashrc'] }, ['Edit:~']],
    [{ tool: 'Write', files: ['/etc/cron.d/job'] }, ['Write:/etc']],
    [{ tool: 'Write', files: ['/tmp/x.sh'] }, ['Write:/tmp']],
    [{ tool: 'Read', files: ['/opt/app/config'] }, ['Read:out']],
    [{ tool: 'WebFetch', urls: ['https://docs.python.org/3/'] }, ['WebFetch:python.org']],
    [{ tool: 'WebFetch', urls: ['https://news.bbc.co.uk/x'] }, ['WebFetch:bbc.co.uk']],
    [{ tool: 'mcp__github__create_issue' }, ['mcp:github:create_issue']],
    [{ tool: 'Grep' }, ['Grep']],
  ] as [Spec, string[]][])('tokenises %j as %j', (spec, tokens) => {
    expect(anomalyInputOf(facts(spec))?.tokens).toEqual(tokens);
  });

  it.each([
    ['api.github.com', 'github.com'],
    ['a.b.example.com.au', 'example.com.au'],
    ['evil.github.io', 'evil.github.io'],
    ['webhook.site', 'webhook.site'],
    ['10.0.0.5', '10.0.0.5'],
    ['[2001:db8::1]', '2001:db8::1'],
  ])('reduces host %s to the registrable domain %s', (host, domain) => {
    expect(registrableDomain(host)).toBe(domain);
  });

  it.each([
    ['/home/u/.aws/credentials', '~/.aws'],
    ['/home/u/.bashrc', '~'],
    ['/etc/cron.d/job', '/etc/cron.d'],
    ['/etc/passwd', '/etc'],
    ['/usr/lib/python3/dist-packages/x.py', '/usr/lib'],
    ['/tmp/abc123/payload', '/tmp'],
  ])('classes the directory of %s as %s', (path, cls) => {
    expect(dirClass(path, HOME)).toBe(cls);
  });

  it('extracts binaries, external domains, outside directories and the permission mode for first-seen', () => {
    const input = anomalyInputOf(facts({
      tool: 'Bash', commands: ['$', 'sudo curl', 'base64'], mode: 'bypassPermissions',
      urls: ['https://x.webhook.site/a', 'http://localhost:3000/', 'http://127.0.0.1/'],
      files: [{ raw: '~/.aws/credentials', command: 2 }, { raw: '/dev/null', access: 'write' }],
    }));
    expect(input?.values).toEqual([
      { kind: 'mode', value: 'bypassPermissions' },
      { kind: 'bin', value: 'sudo' },
      { kind: 'bin', value: 'curl' },
      { kind: 'bin', value: 'base64' },
      { kind: 'domain', value: 'webhook.site', detail: 'x.webhook.site' },
      { kind: 'dir', value: '~/.aws', detail: '/home/u/.aws/credentials' },
    ]);
    expect(input?.delta).toEqual({ reads: 1, bytesWritten: 0, netTools: 1, subagents: 0, outPaths: ['/home/u/.aws/credentials'] });
  });

  it('names MCP servers and tools, counts written bytes and subagents', () => {
    expect(anomalyInputOf(facts({ tool: 'mcp__db__query' }))?.values).toEqual([{ kind: 'mcp-server', value: 'db' }, { kind: 'mcp-tool', value: 'db:query' }]);
    expect(anomalyInputOf(facts({ tool: 'Write', files: ['a.txt'], input: { content: 'hello' } }))?.delta.bytesWritten).toBe(5);
    expect(anomalyInputOf(facts({ tool: 'Task' }))?.delta.subagents).toBe(1);
  });

  it.each([
    ['SessionStart', 'start', [{ kind: 'mode', value: 'plan' }]],
    ['Stop', 'stop', []],
    ['SessionEnd', 'end', []],
  ])('turns %s into a %s input without tokens', (hook, kind, values) => {
    const input = anomalyInputOf(facts({ hook, mode: 'plan' }));
    expect(input).toMatchObject({ kind, tokens: [], values, user: 'alice', project: PROJECT, sessionId: 's1' });
  });

  it.each(['PostToolUse', 'UserPromptSubmit', 'Notification'])('ignores %s events', (hook) => {
    expect(anomalyInputOf(facts({ hook, tool: 'Bash', commands: ['ls'] }))).toBeNull();
  });
});
