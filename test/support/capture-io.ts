/** A CLI `CliIo` that captures what a command prints, for in-process command tests. */
import { type CliIo } from '../../bot/cli/io';

/** Captures stdout and stderr; `readFile` is the caller's (default: every file is missing). */
export function captureIo(
  readFile: CliIo['readFile'] = () =>
    Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' })),
): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readFile };
}
