import type { Container } from '@azure/cosmos';
import type { CrmPollRepository, CrmPollState, StoredCrmPoll } from '../ports/crm-poll-repository.port';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import { statusOf } from './cosmos-errors';
import type { CosmosSystemFields } from './deal-document';

export const CRM_POLL_DOCUMENT_ID = 'crm-poll';

/** The Dataverse poll's state as stored: one small document per tenant in `settings`. */
export type CrmPollDocument = CrmPollState & { id: typeof CRM_POLL_DOCUMENT_ID; type: 'crmPoll'; tenantId: string };

/**
 * The poll state in the `settings` container (partition key /tenantId), beside the tenant's policy and send budget:
 * a point read, and a conditional write (IfMatch, or create when none is stored) per lease renewal and page.
 */
export class CosmosCrmPollRepository implements CrmPollRepository {
  constructor(private readonly container: Container) {}

  async get(tenantId: string): Promise<StoredCrmPoll> {
    const { resource } = await this.container.item(CRM_POLL_DOCUMENT_ID, tenantId).read<CrmPollDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'crmPoll' || !resource._etag) return { state: {} };
    return { state: stateOf(resource), etag: resource._etag };
  }

  async save(tenantId: string, state: CrmPollState, etag?: string): Promise<StoredCrmPoll> {
    const doc: CrmPollDocument = { ...stateOf(state), id: CRM_POLL_DOCUMENT_ID, type: 'crmPoll', tenantId };
    try {
      const { resource } = etag
        ? await this.container.item(CRM_POLL_DOCUMENT_ID, tenantId).replace<CrmPollDocument>(doc, { accessCondition: { type: 'IfMatch', condition: etag } })
        : await this.container.items.create<CrmPollDocument>(doc);
      const saved = resource as (CrmPollDocument & CosmosSystemFields) | undefined;
      if (!saved?._etag) throw new Error(`Cosmos returned the CRM poll state of ${tenantId} without an etag`);
      return { state: stateOf(saved), etag: saved._etag };
    } catch (err) {
      // 412: changed since read; 409: another instance created it first; 404: removed since read.
      const status = statusOf(err);
      if (status === 412 || status === 409 || status === 404) throw new ConcurrentUpdateError();
      throw err;
    }
  }
}

/** The state's own fields, without the document's and Cosmos's. */
function stateOf(doc: CrmPollState): CrmPollState {
  const { lease, deltaLink, nextLink, import: progress, lastPoll } = doc;
  return JSON.parse(JSON.stringify({ lease, deltaLink, nextLink, import: progress, lastPoll })) as CrmPollState;
}
