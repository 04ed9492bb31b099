/** What a CLI command may touch: output streams and file reading, injected so tests can capture them. */
import { readFile } from 'node:fs/promises';

/** Output streams and file reading for a command (STYLE.md rule 2: handlers receive what they use). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** A file as UTF-8 text (policy files, delta links). */
  readonly readFile: (path: string) => Promise<string>;
  /**
   * A file's bytes, for inputs the command decodes itself (the HR and conversations CSVs, which may
   * be Windows-1252: README "CSV formats"). When absent, {@link readBytesOf} reads the disk.
   */
  readonly readBytes?: ((path: string) => Promise<Uint8Array>) | undefined;
}

/** Reads a file's bytes from disk: the `readBytes` of the process's own `CliIo`. */
export function readFileBytes(path: string): Promise<Uint8Array> {
  return readFile(path);
}

/** A file's bytes through `io`: its `readBytes`, or the disk for an io that has none. */
export function readBytesOf(io: CliIo, path: string): Promise<Uint8Array> {
  return (io.readBytes ?? readFileBytes)(path);
}
