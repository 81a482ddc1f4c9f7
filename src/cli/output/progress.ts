/** A progress bar on a TTY (redrawn in place); plain lines every 10 % otherwise. */
export function createProgress(write: (s: string) => void, isTTY: boolean, label: string): { update(done: number, total: number): void; finish(): void } {
  let lastDecile = -1;
  return {
    update(done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      if (isTTY) {
        const width = 30;
        const filled = Math.round(ratio * width);
        write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${done}/${total}`);
      } else if (Math.floor(ratio * 10) > lastDecile) {
        lastDecile = Math.floor(ratio * 10);
        write(`${label} ${(ratio * 100).toFixed(0)}% (${done}/${total})\n`);
      }
    },
    finish() {
      if (isTTY) write('\n');
    },
  };
}
