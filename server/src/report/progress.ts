/** The progress bar `ascendify report` shows on a terminal (cli-progress, on stderr). */
import { cliProgress } from '../common/lazy-modules';
import { forTerminal } from '../common/terminal';

export interface Progress {
  update(done: number, total: number, file: string): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

/** A bar on stderr when it is a terminal and not --quiet; otherwise nothing at all. */
export function progressBar(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !stream.isTTY) return SILENT;
  const bar = new (cliProgress().SingleBar)({
    stream,
    format: 'ascendify |{bar}| {value}/{total} files  {file}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  let started = false;
  return {
    update(done, total, file) {
      if (!started) {
        bar.start(total, 0, { file: '' });
        started = true;
      }
      const shown = forTerminal(file); // a file name must not send escape sequences to the terminal
      bar.update(done, { file: shown.length > 40 ? `…${shown.slice(-39)}` : shown });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
