/**
 * The collector's detect and redact stages, wired to this machine: the secret key, the rule file,
 * and the anomaly detectors' saved baselines. Built once at start-up; a bad rule file stops the
 * daemon with every problem listed (fail fast), and nothing here throws after that.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Config } from '../config/config.js';
import type { Paths } from '../config/paths.js';
import { createAnomalyEngine, type AnomalyEngine } from '../core/detect/anomaly/engine.js';
import { createDetector, type Detector } from '../core/detect/engine.js';
import { deriveFacts } from '../core/detect/facts.js';
import { createSecretScanner } from '../core/detect/secrets/scanner.js';
import type { EventFacts, Finding } from '../core/detect/types.js';
import { loadRules } from '../config/rules-file.js';
import type { AgentEvent } from '../core/event/schema.js';
import { readJsonIfExists, writeFileAtomic } from '../platform/fs.js';
import { realpathLoose } from './enrich.js';

export interface DetectionStage {
  /** Derives the facts rules need (from the unredacted event) and returns the event to journal, secrets masked. */
  inspect(event: AgentEvent, payload: Record<string, unknown>): { event: AgentEvent; facts: EventFacts | undefined };
  /** Masks secrets in an event that is not evaluated (relayed events). */
  redact(event: AgentEvent): AgentEvent;
  /** Masks secrets in text (previews of records that could not be parsed). */
  redactText(text: string): string;
  /** Findings for an event the journal stored as `seq`. */
  evaluate(facts: EventFacts, seq: number): Finding[];
  /** Remembers findings journaled before a restart (their repeats stay quiet). */
  recall(event: AgentEvent): void;
  /** Saves the anomaly baselines (at most once a minute unless forced). */
  save(force?: boolean): void;
  readonly detector: Detector | undefined;
}

const SAVE_EVERY_MS = 60_000;

/** Reads (or creates, 0600) this installation's fingerprint key. */
export function loadSecretKey(path: string): Buffer {
  if (existsSync(path)) {
    const key = readFileSync(path);
    if (key.length >= 32) return key;
  }
  const key = randomBytes(32);
  writeFileAtomic(path, key);
  return key;
}

/** The saved anomaly baselines; a damaged file means starting to learn again, never a daemon that will not start. */
function readAnomalyState(path: string, log: (m: string) => void): unknown {
  try {
    return readJsonIfExists<unknown>(path);
  } catch (err) {
    log(`The anomaly baselines in ${path} could not be read (${(err as Error).message}); learning starts again.`);
    return undefined;
  }
}

/** Builds the stages from configuration. */
export function createDetectionStage(paths: Paths, config: Config, log: (m: string) => void, now: () => number = Date.now): DetectionStage {
  const home = process.env.HOME || homedir();
  const scanner = createSecretScanner({
    key: loadSecretKey(paths.secretKey),
    redactKinds: config.detect.redact.kinds,
    allow: { fingerprints: config.detect.redact.allowFingerprints },
  });
  const redactOn = config.detect.redact.enabled;
  const redact = (event: AgentEvent): AgentEvent => (redactOn ? scanner.redactValue(event).value : event);
  const redactText = (text: string): string => (redactOn ? scanner.redactText(text).text : text);
  if (!config.detect.enabled) {
    return {
      inspect: (event) => ({ event: redact(event), facts: undefined }),
      redact,
      redactText,
      evaluate: () => [],
      recall: () => undefined,
      save: () => undefined,
      detector: undefined,
    };
  }
  const { rules, policy, file } = loadRules(paths, config, home);
  if (file) log(`Loaded ${rules.length} detection rules (custom rules from ${file}).`);
  let anomaly: AnomalyEngine | undefined;
  if (config.detect.anomaly.enabled) anomaly = createAnomalyEngine({}, readAnomalyState(paths.anomalyState, log));
  const reportedErrors = new Set<string>();
  const detector = createDetector({
    rules,
    ...(policy ? { policy } : {}),
    env: { auditPaths: [paths.home], findSecrets: (text) => scanner.findSecrets(text) },
    ...(config.detect.trustedHosts ? { correlation: { trustedHosts: config.detect.trustedHosts } } : {}),
    ...(anomaly ? { anomaly } : {}),
    redact: (text) => scanner.redactText(text).text,
    onRuleError(ruleId, err) {
      if (reportedErrors.has(ruleId)) return;
      reportedErrors.add(ruleId);
      log(`Rule ${ruleId} failed and was skipped for an event (reported once): ${(err as Error).stack ?? String(err)}`);
    },
  });
  let savedAt = now();
  return {
    detector,
    inspect(event, payload) {
      const facts = deriveFacts(event, payload, { home, realpath: realpathLoose });
      return { event: redact(event), facts };
    },
    evaluate: (facts, seq) => detector.evaluate(facts, seq),
    recall(event) {
      if (event.event_type === 'security_alert') detector.recall(event.action_details as unknown as Finding, event.session_id, Date.parse(event.timestamp) || 0);
    },
    redact,
    redactText,
    save(force = false) {
      if (!anomaly || (!force && now() - savedAt < SAVE_EVERY_MS)) return;
      savedAt = now();
      try {
        writeFileAtomic(paths.anomalyState, JSON.stringify(anomaly.snapshot()));
      } catch (err) {
        log(`Could not save the anomaly baselines: ${(err as Error).message}`);
      }
    },
  };
}
