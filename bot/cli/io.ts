/** What a CLI command may touch: output streams and file reading, injected so tests can capture them. */

/** Output streams and file reading for a command (STYLE.md rule 2: handlers receive what they use). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}
