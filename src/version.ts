import { readFileSync } from 'node:fs';

/** AgentTrail's own version, read once from package.json. */
export const AGENTTRAIL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
