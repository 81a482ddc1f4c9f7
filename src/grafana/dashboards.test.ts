import { readFileSync } from 'node:fs';
import type { Dashboard, Panel } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import { LOKI_DATASOURCE, STREAM_LABELS, STRUCTURED_METADATA } from './contract.js';
import { artifacts, DASHBOARDS } from './index.js';

const root = new URL('../../', import.meta.url);
const dashboards: Dashboard[] = Object.values(DASHBOARDS).map((build) => build());
const byUid = (uid: string): Dashboard => dashboards.find((d) => d.uid === uid)!;
const panelsOf = (d: Dashboard): Panel[] => (d.panels ?? []).filter((p) => p.type !== 'row') as Panel[];
const titles = (uid: string): string[] => panelsOf(byUid(uid)).map((p) => p.title ?? '');
const panel = (uid: string, title: string): Panel => panelsOf(byUid(uid)).find((p) => p.title === title)!;
const exprs = (p: Panel): string[] => (p.targets ?? []).map((t) => String(t.expr));

describe('generated dashboards', () => {
  it('match the committed files in deploy/ (run npm run grafana:generate after changing src/grafana)', () => {
    for (const a of artifacts()) expect(readFileSync(new URL(a.path, root), 'utf8'), a.path).toBe(a.content);
  });

  it('have unique uids and are provisionable (schemaVersion, not editable in the UI)', () => {
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(4);
    for (const d of dashboards) {
      expect(d.schemaVersion).toBe(39);
      expect(d.editable).toBe(false);
      expect(d.tags).toContain('agenttrail');
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s: panels have unique ids and fit the 24-column grid without overlapping', (_uid, d) => {
    const all = d.panels ?? [];
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    const cells = new Set<string>();
    for (const p of all) {
      const g = p.gridPos!;
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s: every panel and target uses the provisioned Loki datasource uid', (_uid, d) => {
    for (const p of panelsOf(d)) {
      expect(p.datasource).toEqual(LOKI_DATASOURCE);
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(refIds.length, p.title).toBeGreaterThan(0);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets ?? []) {
        expect(t.datasource).toEqual(LOKI_DATASOURCE);
        expect(t.editorMode).toBe('code');
      }
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s: instant queries use [$__range], range charts [$__auto] or a fixed step', (_uid, d) => {
    for (const p of panelsOf(d)) {
      for (const t of p.targets ?? []) {
        const expr = String(t.expr);
        if (p.type === 'logs' || (p.type === 'table' && t.queryType === 'range')) {
          expect(expr, p.title).not.toMatch(/\[(\$__\w+|\d+[a-z]+)\]/);
          expect(t.maxLines, p.title).toBeGreaterThan(0);
        } else if (t.queryType === 'instant') {
          expect(expr, p.title).toContain('[$__range]');
        } else {
          expect(expr.includes('[$__auto]') || (typeof t.step === 'string' && expr.includes(`[${t.step}]`)), p.title).toBe(true);
        }
      }
    }
  });

  it('lists only indexed labels with label_values variables; structured metadata uses a textbox', () => {
    for (const d of dashboards) {
      for (const v of d.templating?.list ?? []) {
        if (v.type === 'query') {
          const q = v.query as { type: number; label: string; stream: string };
          expect(q.type).toBe(1);
          expect(STREAM_LABELS).toContain(q.label);
          expect(v.datasource).toEqual(LOKI_DATASOURCE);
        }
        if ((STRUCTURED_METADATA as readonly string[]).includes(v.name)) expect(v.type).toBe('textbox');
      }
    }
  });

  it('Overview shows events and sessions over time, and activity by tool, project and user', () => {
    expect(titles('agenttrail-overview')).toEqual(expect.arrayContaining([
      'Events', 'Sessions', 'Events by type', 'Active sessions by project', 'Top tools', 'Tool calls by tool',
      'Events by project', 'Events by user', 'Events by project over time', 'Events by user over time', 'Sessions (events per session)',
    ]));
  });

  it('Session forensics filters every query on the session_id textbox and shows an ascending timeline', () => {
    const d = byUid('agenttrail-session');
    expect(d.templating?.list?.find((v) => v.name === 'session_id')?.type).toBe('textbox');
    expect(titles('agenttrail-session')).toEqual(expect.arrayContaining(['Timeline', 'Files touched', 'Commands run', 'Failures', 'Findings', 'Raw audit events']));
    for (const p of panelsOf(d)) for (const e of exprs(p)) expect(e, p.title).toContain('| session_id="$session_id"');
    const timeline = panel('agenttrail-session', 'Timeline');
    expect(timeline.type).toBe('logs');
    expect(timeline.options?.sortOrder).toBe('Ascending');
    expect(timeline.targets?.[0]?.direction).toBe('forward');
  });

  it('Security shows findings by severity and rule, recent findings, outside-scope access, sensitive files and dangerous commands', () => {
    expect(titles('agenttrail-security')).toEqual(expect.arrayContaining([
      'Critical', 'High', 'Findings by severity', 'Findings by rule', 'Recent findings', 'Outside-project file access',
      'Top outside-project paths', 'Credential and secret findings', 'Dangerous commands', 'Dangerous commands by category',
    ]));
    expect(panel('agenttrail-security', 'Recent findings').type).toBe('table');
    for (const p of panelsOf(byUid('agenttrail-security')).filter((x) => exprs(x).some((e) => e.includes('security_alert')))) {
      for (const e of exprs(p)) expect(e, p.title).toContain('level!="debug"');
    }
  });

  it('Trends charts daily and weekly buckets by project and user', () => {
    const d = byUid('agenttrail-trends');
    const steps = panelsOf(d).flatMap((p) => (p.targets ?? []).map((t) => t.step)).filter(Boolean);
    expect(steps).toEqual(expect.arrayContaining(['1d', '1w']));
    expect(titles('agenttrail-trends')).toEqual(expect.arrayContaining([
      'Events per day by project', 'Events per day by user', 'Sessions per day by project', 'Events per week by project', 'Sessions per week by user',
    ]));
  });

  it('links session ids only to dashboards that exist', () => {
    const json = JSON.stringify(dashboards);
    for (const m of json.matchAll(/\/d\/([a-z-]+)\//g)) expect(dashboards.map((d) => d.uid)).toContain(m[1]);
  });
});
