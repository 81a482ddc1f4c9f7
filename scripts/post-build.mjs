// Makes the CLI entry executable after tsc (npm link / bin shims need the mode bit).
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/bin/cli.js', import.meta.url), 0o755);
