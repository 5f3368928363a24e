import type { Container } from '@azure/cosmos';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { BudgetMember, SendBudgetRepository, StoredBudget } from '../ports/send-budget-repository.port';
import { statusOf } from './cosmos-errors';
import type { CosmosSystemFields } from './deal-document';

export const SEND_BUDGET_DOCUMENT_ID = 'send-budget';

/** The instances sharing a tenant's Teams send budget: one small document per tenant in `settings`. */
export interface SendBudgetDocument {
  id: typeof SEND_BUDGET_DOCUMENT_ID;
  type: 'sendBudget';
  tenantId: string;
  members: BudgetMember[];
}

/**
 * The send-budget document in the `settings` container (partition key /tenantId), beside the tenant's policy: a
 * point read and a conditional write per instance per renewal (IfMatch, or create when none is stored).
 */
export class CosmosSendBudgetRepository implements SendBudgetRepository {
  constructor(private readonly container: Container) {}

  async get(tenantId: string): Promise<StoredBudget | undefined> {
    const { resource } = await this.container.item(SEND_BUDGET_DOCUMENT_ID, tenantId).read<SendBudgetDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'sendBudget' || !resource._etag) return undefined;
    return { members: resource.members, etag: resource._etag };
  }

  async save(tenantId: string, members: BudgetMember[], etag?: string): Promise<StoredBudget> {
    const doc: SendBudgetDocument = { id: SEND_BUDGET_DOCUMENT_ID, type: 'sendBudget', tenantId, members };
    try {
      const { resource } = etag
        ? await this.container.item(SEND_BUDGET_DOCUMENT_ID, tenantId).replace<SendBudgetDocument>(doc, { accessCondition: { type: 'IfMatch', condition: etag } })
        : await this.container.items.create<SendBudgetDocument>(doc);
      const saved = resource as (SendBudgetDocument & CosmosSystemFields) | undefined;
      if (!saved?._etag) throw new Error(`Cosmos returned the send budget of ${tenantId} without an etag`);
      return { members: saved.members, etag: saved._etag };
    } catch (err) {
      // 412: changed since read; 409: another instance created it first; 404: removed since read.
      const status = statusOf(err);
      if (status === 412 || status === 409 || status === 404) throw new ConcurrentUpdateError();
      throw err;
    }
  }
}
