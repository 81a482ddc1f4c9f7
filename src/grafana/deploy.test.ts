import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { LOKI_DATASOURCE } from './contract.js';
import { DASHBOARDS } from './index.js';
import { RULES_NAMESPACE, RULES_TENANT } from './rules.js';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
const read = (p: string): string => readFileSync(join(deploy, p), 'utf8');
/** Parses a YAML file of deploy/ (documents are checked key by key, so loosely typed). */
const yaml = (p: string): any => parse(read(p));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

const compose = yaml('docker-compose.yml');
const loki = yaml('loki/config.yaml');
/** Maps a service's bind mounts: container path → host path (relative to deploy/). */
const mounts = (service: string): Record<string, string> => Object.fromEntries(
  (compose.services[service].volumes as string[]).filter((v) => v.startsWith('./')).map((v) => {
    const [host, container] = v.split(':');
    return [container!, host!.slice(2)];
  }),
);
const hours = (d: string): number => {
  const m = /^(\d+)(h|d)$/.exec(d);
  return m ? Number(m[1]) * (m[2] === 'd' ? 24 : 1) : NaN;
};

describe('deploy/ configuration', () => {
  it('every YAML file parses without errors or warnings', () => {
    const yamls = files(deploy).filter((f) => /\.ya?ml$/.test(f));
    expect(yamls.length).toBeGreaterThanOrEqual(6);
    for (const f of yamls) {
      for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
        expect([...doc.errors, ...doc.warnings].map(String), relative(deploy, f)).toEqual([]);
      }
    }
  });

  it('docker-compose pins the image versions of the digest (§8) and mounts files that exist', () => {
    expect(compose.services.loki.image).toBe('grafana/loki:3.7.6');
    expect(compose.services.grafana.image).toBe('grafana/grafana:13.2.0');
    expect(compose.services.alertmanager.image).toBe('prom/alertmanager:v0.34.0');
    expect(compose.services.loki.healthcheck.test).toEqual(['CMD', '/usr/bin/loki', '-health']);
    expect(compose.services.grafana.depends_on.loki.condition).toBe('service_healthy');
    for (const s of ['loki', 'grafana', 'alertmanager']) {
      for (const host of Object.values(mounts(s))) expect(existsSync(join(deploy, host)), host).toBe(true);
    }
  });

  it('Loki reads the mounted config and rules, with the ruler on local storage of the tenant directory', () => {
    const configPath = /-config\.file=(\S+)/.exec(compose.services.loki.command.join(' '))![1]!;
    expect(mounts('loki')[configPath]).toBe('loki/config.yaml');
    const rulesDir = loki.common.storage.filesystem.rules_directory;
    expect(loki.ruler.storage).toEqual({ type: 'local', local: { directory: rulesDir } });
    expect(mounts('loki')[rulesDir]).toBe('loki/rules');
    expect(loki.auth_enabled).toBe(false);
    expect(existsSync(join(deploy, 'loki/rules', RULES_TENANT, `${RULES_NAMESPACE}.yaml`))).toBe(true);
    expect(loki.ruler.alertmanager_url).toBe('http://alertmanager:9093');
    expect(compose.services.alertmanager.ports[0]).toMatch(/:9093$/);
    expect(loki.ruler.rule_path.startsWith(loki.common.path_prefix)).toBe(true);
  });

  it('Loki stores structured metadata (schema v13 + tsdb, 24h index) and enforces retention with the compactor', () => {
    const schema = loki.schema_config.configs.at(-1);
    expect(schema).toMatchObject({ store: 'tsdb', schema: 'v13', object_store: 'filesystem', index: { period: '24h' } });
    expect(loki.limits_config.allow_structured_metadata).toBe(true);
    expect(hours(loki.limits_config.retention_period)).toBeGreaterThan(0);
    expect(loki.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 'filesystem' });
  });

  it('allows queries as long as the Trends dashboard range plus its 1w window', () => {
    const trends = DASHBOARDS['agenttrail-trends.json']!();
    const days = Number(/^now-(\d+)d$/.exec(trends.time!.from)![1]);
    expect(hours(loki.limits_config.max_query_length)).toBeGreaterThanOrEqual((days + 7) * 24);
    expect(hours(loki.limits_config.max_query_length)).toBeLessThanOrEqual(hours(loki.limits_config.retention_period) + 48);
  });

  it('provisions the Loki datasource with the uid the dashboards use, pointing at the compose service', () => {
    const ds = yaml('grafana/provisioning/datasources/loki.yaml');
    expect(ds.apiVersion).toBe(1);
    const lokiDs = ds.datasources.find((d: { type: string }) => d.type === 'loki');
    expect(lokiDs).toMatchObject({ uid: LOKI_DATASOURCE.uid, url: 'http://loki:3100', access: 'proxy' });
    const am = ds.datasources.find((d: { type: string }) => d.type === 'alertmanager');
    expect(lokiDs.jsonData.alertmanagerUid).toBe(am.uid);
    for (const f of lokiDs.jsonData.derivedFields) expect(f.url).not.toMatch(/(^|[^$])\$\{__value/);
  });

  it('provisions the generated dashboards from the directory compose mounts', () => {
    const p = yaml('grafana/provisioning/dashboards/agenttrail.yaml');
    expect(p.apiVersion).toBe(1);
    const provider = p.providers[0];
    expect(provider.type).toBe('file');
    expect(mounts('grafana')[provider.options.path]).toBe('grafana/dashboards');
    expect(mounts('grafana')['/etc/grafana/provisioning']).toBe('grafana/provisioning');
    const committed = readdirSync(join(deploy, 'grafana/dashboards')).filter((f) => f.endsWith('.json')).sort();
    expect(committed).toEqual(Object.keys(DASHBOARDS).sort());
  });

  it('Alertmanager routes only to receivers it defines', () => {
    const am = yaml('alertmanager/alertmanager.yml');
    const defined = new Set(am.receivers.map((r: { name: string }) => r.name));
    const routes = [am.route, ...(am.route.routes ?? [])];
    for (const r of routes) expect(defined.has(r.receiver), r.receiver).toBe(true);
  });
});
