import type { Paths } from '../config/paths.js';

/** What a command may touch: injected so commands are testable without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly paths: Paths;
  readonly cwd: string;
  readonly color: boolean;
}
