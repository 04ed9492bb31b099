/**
 * Conversation references for proactive messages: one row per user, keyed by Entra object id
 * (or, for a team or group chat, by conversation id) — STYLE.md rule 4, DESIGN.md §4 Install.
 */
import { statusOf, withoutUndefined } from './entities';
import { type TableStore } from './sharded-table';

/** What is needed to message someone later, without the user's turn. */
export interface StoredReference {
  /** Entra object id for personal chats; the conversation id for a team channel or group chat. */
  readonly key: string;
  readonly scope: 'personal' | 'channel' | 'groupChat';
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly channelId: string;
  readonly tenantId?: string | undefined;
  readonly botId: string;
  /** The person's Teams user id (MRI, `29:…`), for `refresh.userIds` and proactive sends. */
  readonly userId?: string | undefined;
  readonly userName?: string | undefined;
  readonly installedAt: string;
}

/** Stores references; implemented on Azure Tables and, in tests, in memory. */
export interface ReferenceStore {
  /** Saves the reference; resolves true when there was none before (a new installation). */
  saveOnInstall(reference: StoredReference): Promise<boolean>;
  /** Forgets a reference when the app is uninstalled. */
  remove(key: string): Promise<void>;
  get(key: string): Promise<StoredReference | undefined>;
}

const ROW = 'ref';

/** {@link ReferenceStore} on the conversationRefs table. */
export class TableReferenceStore implements ReferenceStore {
  constructor(private readonly table: TableStore) {}

  async saveOnInstall(reference: StoredReference): Promise<boolean> {
    const entity = { partitionKey: reference.key, rowKey: ROW, ...withoutUndefined(reference) };
    try {
      await this.table.createEntity(entity);
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      // Already installed: keep the row current (service URLs can change) without greeting again.
      const { installedAt: _firstInstall, ...current } = entity;
      await this.table.updateEntity(current, 'Merge');
      return false;
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await this.table.deleteEntity(key, ROW);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async get(key: string): Promise<StoredReference | undefined> {
    try {
      const row = await this.table.getEntity<StoredReference>(key, ROW);
      return {
        key: row.key,
        scope: row.scope,
        conversationId: row.conversationId,
        serviceUrl: row.serviceUrl,
        channelId: row.channelId,
        tenantId: row.tenantId,
        botId: row.botId,
        userId: row.userId,
        userName: row.userName,
        installedAt: row.installedAt,
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
