/** A one-line progress bar for long terminal work (seeding, imports); plain lines when not a TTY. */

/** A progress bar writing to stdout. */
export function progressBar(label: string, width = 30) {
  const tty = process.stdout.isTTY;
  let lastPercent = -1;
  return {
    update: (done: number, total: number) => {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      if (tty) {
        const filled = Math.round((percent / 100) * width);
        process.stdout.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% (${done}/${total})`,
        );
      } else if (percent % 25 === 0) {
        process.stdout.write(`${label}: ${percent}% (${done}/${total})\n`);
      }
    },
    done: (summary: string) =>
      process.stdout.write(`${tty ? '\r' : ''}${label}: done — ${summary}${' '.repeat(20)}\n`),
  };
}
