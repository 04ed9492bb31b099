/** What turn handlers receive (STYLE.md rule 2): ports and settings, never singletons. */
import { type DirectoryReader } from '../../core/ports';
import { type Logger } from '../log';
import { type ReferenceStore } from '../storage/reference-store';

/** Dependencies of every turn handler. */
export interface TurnDeps {
  readonly log: Logger;
  readonly directory: DirectoryReader;
  readonly references: ReferenceStore;
  /** The policy's key areas in order, shown on the welcome card. */
  readonly areas: readonly string[];
}
