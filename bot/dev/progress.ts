/** A one-line progress bar for long terminal work (seeding, imports, refresh); plain lines when not a TTY. */

/** A progress bar writing to a stream (stdout by default). */
export function progressBar(label: string, width = 30, out: NodeJS.WriteStream = process.stdout) {
  const tty = out.isTTY;
  let lastPercent = -1;
  let lastStep = '';
  return {
    /** Shows `done` of `total`, for an optional named step (a new step restarts the bar). */
    update: (done: number, total: number, step = '') => {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === lastPercent && step === lastStep) return;
      if (step !== lastStep && tty && lastStep !== '') out.write('\n');
      lastPercent = percent;
      lastStep = step;
      const name = step === '' ? label : `${label} — ${step}`;
      if (tty) {
        const filled = Math.round((percent / 100) * width);
        out.write(
          `\r${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${total})`,
        );
      } else if (percent % 25 === 0) {
        out.write(`${name}: ${percent}% (${done}/${total})\n`);
      }
    },
    done: (summary: string) => out.write(`${tty ? '\n' : ''}${label}: done — ${summary}\n`),
  };
}
