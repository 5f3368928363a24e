import type { Container } from '@azure/cosmos';
import type { Quota } from '../domain/quota';
import type { QuotaRepository } from '../ports/quota-repository.port';
import { type CosmosSystemFields, withoutSystemFields } from './deal-document';
import { documentIdOf } from './document-id';
import { partitionKeyOf } from './partition-keys';

type QuotaDocument = Quota & { id: string; type: 'quota' };

const idOf = (personId: string, fiscalYear: string) => documentIdOf(`quota|${personId}|${fiscalYear}`);

/** Quotas live beside the people they belong to, in the `people-v2` container (`type: "quota"`), in the person's logical partition. */
export class CosmosQuotaRepository implements QuotaRepository {
  constructor(private readonly container: Container) {}

  async get(tenantId: string, personId: string, fiscalYear: string): Promise<Quota | undefined> {
    const { resource } = await this.container.item(idOf(personId, fiscalYear), partitionKeyOf('people-v2', { tenantId, personId })).read<QuotaDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'quota') return undefined;
    const { id: _id, type: _type, ...quota } = withoutSystemFields(resource);
    return quota;
  }

  async put(quota: Quota): Promise<void> {
    await this.container.items.upsert<QuotaDocument>({ ...quota, id: idOf(quota.personId, quota.fiscalYear), type: 'quota' });
  }
}
