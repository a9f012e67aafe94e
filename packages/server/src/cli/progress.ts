import type { Io } from './command.js';

/** Where a progress bar may be drawn: a terminal on stderr, never a pipe or a file (CI logs stay clean). */
export type ProgressSink = { readonly isTTY?: boolean; write(text: string): unknown };

/** The command's terminal, when a person is at one; else nowhere. */
export const progressSink = (io: Io): ProgressSink | undefined =>
  io.terminal ? { isTTY: true, write: io.terminal.write } : undefined;

/**
 * A one-line progress bar redrawn in place, at most every 100 ms. Off unless the sink is a
 * terminal, so redirected output and logs get no control characters.
 */
export function createProgressBar(label: string, sink: ProgressSink = { isTTY: false, write: () => true }) {
  let last = 0;
  const draw = (done: number, total: number) => {
    const ratio = total > 0 ? Math.min(done / total, 1) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    sink.write(
      `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total}`,
    );
  };
  return {
    enabled: sink.isTTY === true,
    update(done: number, total: number) {
      if (sink.isTTY !== true) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    finish(done: number, total: number) {
      if (sink.isTTY !== true) return;
      draw(done, total);
      sink.write('\n');
    },
  };
}
