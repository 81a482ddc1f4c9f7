/** Error classes with stable codes. Only `bin/` turns them into exit codes. */

/** A problem the user can fix; the message says what happened and what to run next. */
export class UserError extends Error {
  constructor(message: string, readonly code = 'USER_ERROR', readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}

/** Invalid configuration, with every problem listed at once. */
export class ConfigError extends UserError {
  constructor(readonly problems: string[], source: string) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'CONFIG_INVALID', 78);
    this.name = 'ConfigError';
  }
}

/** The command already printed its message; exit with this code. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/** Returns the message of anything thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
