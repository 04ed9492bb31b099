/** A CLI `CliIo` that captures what a command prints, for in-process command tests. */
import { type CliIo } from '../../bot/cli/io';

const missing = (): Promise<never> =>
  Promise.reject(Object.assign(new Error('no such file'), { code: 'ENOENT' }));

/**
 * Captures stdout and stderr; `readFile` is the caller's (default: every file is missing), and
 * `readBytes` is the caller's too, or else the UTF-8 bytes of what `readFile` gives.
 */
export function captureIo(
  readFile: CliIo['readFile'] = missing,
  readBytes: (path: string) => Promise<Uint8Array> = async (path) =>
    new TextEncoder().encode(await readFile(path)),
): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readFile, readBytes };
}
