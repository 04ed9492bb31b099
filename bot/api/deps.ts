/** What the tab's REST API routes receive (STYLE.md rule 2): ports and settings, never singletons. */
import { type Clock } from '../../core/ports';
import { type Policy } from '../../core/policy/schema';
import { type Logger } from '../log';
import { type Records } from '../records/records';
import { type Outbox } from '../outbox/outbox';
import { type Notifier } from '../teams/notifier';
import { type CallerCache } from './caller';
import { type TeamFigures } from './team';

/** Dependencies of every `/api` route. */
export interface ApiDeps {
  readonly records: Records;
  readonly policy: Policy;
  readonly clock: Clock;
  /** Sends cards to a person's personal chat with the bot (the team actions). */
  readonly notifier: Notifier;
  readonly outbox: Outbox;
  /** What the outbox could not deliver, for OD's view (cached briefly); absent in tests that send nothing. */
  readonly outboxFaults?: () => Promise<{ notReachable: number; deadLettered: number }>;
  /** Entra object ids of the OD team (config `OD_MEMBERS`). */
  readonly odMembers: ReadonlySet<string>;
  /** Who recent callers are (their directory row and head-of-service role), kept for a minute. */
  readonly callers: CallerCache;
  /** Team figures already worked out, by the versions of the team's rows. */
  readonly teamFigures: TeamFigures;
  readonly log: Logger;
  /** The bot's Microsoft App id: the chat deep link `28:<botAppId>`. */
  readonly botAppId: string;
}
