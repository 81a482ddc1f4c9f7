/**
 * Loki ruler alert rules for AgentTrail (Prometheus rule-file format with LogQL `expr`, digest §6),
 * rendered to `deploy/loki/rules/<tenant>/agenttrail.yaml`. The ruler sends firing alerts to Alertmanager.
 */
import { Document } from 'yaml';
import { SERVICE_NAME } from './contract.js';

/** Tenant directory of the rules: single-tenant Loki (auth_enabled: false) uses the tenant id `fake`. */
export const RULES_TENANT = 'fake';

/** Rule namespace = file name under the tenant directory. */
export const RULES_NAMESPACE = 'agenttrail';

/** One alerting rule (recording rules are not used: their output needs remote_write). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Explanation written as a YAML comment above the rule. */
  readonly comment?: string;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly AlertRule[];
}

/** Minutes without any event or heartbeat after which a host counts as silent (plus the rule's `for`). */
export const SILENCE_WINDOW = '10m';

/** Builds the AgentTrail rule groups for a `service_name` and the Grafana base URL used in links. */
export function alertRuleGroups(service = SERVICE_NAME, grafanaUrl = 'http://localhost:3000'): RuleGroup[] {
  const s = `service_name="${service}"`;
  const session = `${grafanaUrl}/d/agenttrail-session/agenttrail-session-forensics?var-session_id={{ $labels.session_id }}`;
  return [{
    name: 'agenttrail',
    interval: '1m',
    rules: [
      {
        alert: 'AgentTrailHighSeverityFinding',
        comment: 'High and critical findings are pushed with level="error" (medium: warn; suppressed: debug).\n'
          + 'rule_id and session_id are structured metadata: they are part of each series\' labels, so they can be\n'
          + 'grouped by (but not put in the stream selector); sum by keeps the series count bounded.',
        expr: `sum by (host, user, project, rule_id, session_id) (count_over_time({${s}, event_type="security_alert", level="error"}[5m])) > 0`,
        labels: { severity: 'critical' },
        annotations: {
          summary: 'AgentTrail finding {{ $labels.rule_id }} on {{ $labels.host }} ({{ $labels.project }})',
          description: '{{ $value }} high or critical finding(s) of {{ $labels.rule_id }} in the last 5 minutes, '
            + 'user {{ $labels.user }}, session {{ $labels.session_id }}.',
          dashboard: session,
        },
      },
      {
        alert: 'AgentTrailHostSilent',
        comment: 'A host that was active is silent. LogQL has no per-series absent(), so: the left side lists hosts\n'
          + 'whose daemon sent a heartbeat (every 60 s) in the last 24h; count_over_time only returns a series for a\n'
          + `host with at least one line in its window, so the right side lists hosts that sent anything in the last\n`
          + `${SILENCE_WINDOW}. \`unless\` (both sides grouped by host only, so their label sets match) keeps the hosts of\n`
          + `the left side missing from the right: active today, silent for ${SILENCE_WINDOW}. With for: 5m it fires after\n`
          + '15 minutes of silence and resolves when the host speaks again (or after 24h without heartbeats).\n'
          + 'A laptop that sleeps is also silent: route this alert to a low-urgency receiver or raise the window.',
        expr: `sum by (host) (count_over_time({${s}, event_type="heartbeat"}[24h]))\nunless\nsum by (host) (count_over_time({${s}}[${SILENCE_WINDOW}]))`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'AgentTrail on {{ $labels.host }} sent no events or heartbeats for 15 minutes',
          description: 'The collector daemon on {{ $labels.host }} may be stopped, blocked from Loki, or tampered with.',
        },
      },
      {
        alert: 'AgentTrailIngestErrors',
        comment: 'Spool records the collector could not parse are quarantined and journaled as ingest_error.',
        expr: `sum by (host) (count_over_time({${s}, event_type="ingest_error"}[15m])) > 0`,
        labels: { severity: 'warning' },
        annotations: {
          summary: 'AgentTrail on {{ $labels.host }} quarantined {{ $value }} unreadable spool record(s)',
          description: 'Hook records that could not be parsed: check agenttrail status and the quarantine directory.',
        },
      },
    ],
  }];
}

/** Renders rule groups as the ruler's YAML file, with a generated-file header and rule comments. */
export function renderRulesYaml(groups: readonly RuleGroup[]): string {
  const plain = {
    groups: groups.map((g) => ({
      name: g.name, ...(g.interval ? { interval: g.interval } : {}),
      rules: g.rules.map(({ comment: _c, ...r }) => ({ alert: r.alert, expr: r.expr, ...(r.for ? { for: r.for } : {}), labels: r.labels, annotations: r.annotations })),
    })),
  };
  const doc = new Document(plain);
  doc.commentBefore = ' GENERATED by `npm run grafana:generate` from src/grafana/rules.ts: do not edit.\n'
    + ` Loki ruler rules (local storage: <rules_directory>/${RULES_TENANT}/${RULES_NAMESPACE}.yaml).`;
  groups.forEach((g, gi) => g.rules.forEach((r, ri) => {
    const node = doc.getIn(['groups', gi, 'rules', ri], true) as { commentBefore?: string | null } | undefined;
    if (node && r.comment) node.commentBefore = r.comment.split('\n').map((l) => ` ${l}`).join('\n');
  }));
  return doc.toString({ lineWidth: 0 });
}
