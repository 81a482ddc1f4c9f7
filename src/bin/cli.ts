#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from '../cli/program.js';
import { resolvePaths } from '../config/paths.js';
import { ExitError, UserError } from '../errors.js';

// `agenttrail events | head`: the reader went away; stop quietly as Unix tools do, no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

// The only place that exits: commands throw, this maps errors to exit codes.
const io = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
  env: process.env,
  paths: resolvePaths(process.env),
  cwd: process.cwd(),
  color: process.stdout.isTTY === true && !process.env.NO_COLOR,
};

try {
  await buildProgram(io).exitOverride().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode;
  else if (err instanceof ExitError) process.exitCode = err.exitCode;
  else if (err instanceof UserError) {
    io.stderr(`agenttrail: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    io.stderr(`agenttrail: internal error, please report it with this output:\n${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 70;
  }
}
