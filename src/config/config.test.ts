import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../test/helpers/tmp.js';
import { loadConfig } from './config.js';
import { resolvePaths } from './paths.js';

function paths(config?: unknown) {
  const home = tmpDir();
  if (config !== undefined) writeFileSync(join(home, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return resolvePaths({ AGENTTRAIL_HOME: home });
}

describe('loadConfig', () => {
  it('uses loopback, port 4747 and retention off by default', () => {
    expect(loadConfig(paths(), {})).toMatchObject({ bind: '127.0.0.1', port: 4747, nice: 19, retention: { action: 'archive' }, index: { memoryLimit: '96MB' } });
  });

  it('refuses a non-loopback bind address without a token', () => {
    expect(() => loadConfig(paths({ bind: '0.0.0.0' }), {})).toThrow(/token/);
    expect(loadConfig(paths({ bind: '0.0.0.0', token: 'x'.repeat(16) }), {}).bind).toBe('0.0.0.0');
  });

  it('lists every problem at once, with the key that has it', () => {
    expect(() => loadConfig(paths({ port: 'eighty', retention: { action: 'shred' }, colour: true }), {})).toThrow(/port[\s\S]*retention\.action|retention\.action[\s\S]*port/);
  });

  it('says which file is not JSON', () => {
    expect(() => loadConfig(paths('{nope'), {})).toThrow(/config\.json[\s\S]*not readable JSON|not readable JSON/);
  });

  it('lets the environment override the file', () => {
    expect(loadConfig(paths({ port: 1 }), { AGENTTRAIL_PORT: '5000' }).port).toBe(5000);
  });
});
