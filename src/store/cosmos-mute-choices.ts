import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import { backoff, statusOf } from './cosmos-errors';
import type { CosmosSystemFields } from './deal-document';
import { partitionKeyOf } from './partition-keys';

/** A person's choice about one deal's alerts, beside their person record in the `people-v2` container (their logical partition). */
export interface MuteDocument {
  id: string;
  type: 'mute';
  tenantId: string;
  personId: string;
  dealId: string;
  muted: boolean;
  at: string;
}
type StoredMute = MuteDocument & CosmosSystemFields;

/**
 * `~mute.<hash of (person, deal)>`: fixed length, Cosmos-safe, and never the id of a person record (documentIdOf
 * only ever makes ids that start with '~' from base64url, which has no '.').
 */
export const muteDocumentId = (personId: string, dealId: string): string =>
  `~mute.${createHash('sha256').update(JSON.stringify([personId, dealId])).digest('base64url')}`;

/** Racing choices of one person about one deal (a double press) are rare; 8 rounds settle 8 at once. */
const MAX_ATTEMPTS = 8;

/**
 * Mute choices: one document per (person, deal) while it says something the defaults do not, so none of them
 * grows; how many a person has is how many deals they keep muted. Each write is conditional (create, or
 * replace/delete IfMatch the etag read); a 409, 412 or 404 starts again from a fresh read.
 */
export class CosmosMuteChoices {
  constructor(private readonly container: Container) {}

  async set(tenantId: string, personId: string, dealId: string, choice: boolean | undefined, at: string): Promise<void> {
    const item = this.container.item(muteDocumentId(personId, dealId), partitionKeyOf('people-v2', { tenantId, personId }));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (attempt > 0) await backoff(attempt);
      const { resource } = await item.read<StoredMute>();
      const stored = resource?.type === 'mute' ? resource : undefined;
      if (stored?.muted === choice || (!stored && choice === undefined)) return;
      const ifMatch = { accessCondition: { type: 'IfMatch', condition: stored?._etag ?? '' } };
      try {
        if (choice === undefined) await item.delete(ifMatch);
        else {
          const doc: MuteDocument = { id: muteDocumentId(personId, dealId), type: 'mute', tenantId, personId, dealId, muted: choice, at };
          if (stored) await item.replace(doc, ifMatch);
          else await this.container.items.create(doc);
        }
        return;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 409 && status !== 412 && status !== 404) throw err;
      }
    }
    throw new ConcurrentUpdateError();
  }

  /** The choices these people made about the deal: one query within the tenant (prefix key: they are in several people's partitions). */
  async of(tenantId: string, dealId: string, personIds: readonly string[]): Promise<Map<string, boolean>> {
    if (personIds.length === 0) return new Map();
    const sql = "SELECT c.personId, c.muted FROM c WHERE c.tenantId = @tenantId AND c.type = 'mute' AND c.dealId = @dealId AND ARRAY_CONTAINS(@people, c.personId)";
    const { resources } = await this.container.items
      .query<Pick<MuteDocument, 'personId' | 'muted'>>(
        { query: sql, parameters: [{ name: '@tenantId', value: tenantId }, { name: '@dealId', value: dealId }, { name: '@people', value: [...personIds] }] },
        { partitionKey: [tenantId] },
      )
      .fetchAll();
    return new Map(resources.map((r) => [r.personId, r.muted === true]));
  }
}
