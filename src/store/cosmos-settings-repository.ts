import type { Container } from '@azure/cosmos';
import type { ApprovalPolicy } from '../domain/approval-policy';
import { DEFAULT_APPROVAL_POLICY } from '../domain/default-approval-policy';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import type { ApprovalsChannel, SettingsRepository, StoredPolicy } from '../ports/settings-repository.port';
import { statusOf } from './cosmos-errors';
import type { CosmosSystemFields } from './deal-document';

export const POLICY_DOCUMENT_ID = 'approval-policy';
export const CHANNEL_DOCUMENT_ID = 'approvals-channel';

/** The approval policy as stored: one document per tenant. */
export interface PolicyDocument {
  id: typeof POLICY_DOCUMENT_ID;
  type: 'approvalPolicy';
  tenantId: string;
  policy: ApprovalPolicy;
}

/** The approvals channel as stored: one document per tenant. */
export type ChannelDocument = ApprovalsChannel & { id: typeof CHANNEL_DOCUMENT_ID; type: 'approvalsChannel'; tenantId: string };

/**
 * Per-tenant settings in the `settings` container, partitioned by /tenantId alone (two small documents per tenant,
 * which never grow with use: containers.ts), one document per setting
 * with a fixed id. Point reads and writes only (no queries). The policy is saved conditionally
 * (IfMatch, or create when none is stored) so two admins editing at once cannot overwrite each other
 * unknowingly; the approvals channel is a plain upsert (last write wins).
 */
export class CosmosSettingsRepository implements SettingsRepository {
  constructor(private readonly container: Container) {}

  async getPolicy(tenantId: string): Promise<StoredPolicy> {
    const { resource } = await this.container.item(POLICY_DOCUMENT_ID, tenantId).read<PolicyDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'approvalPolicy') return { policy: structuredClone(DEFAULT_APPROVAL_POLICY) };
    return { policy: resource.policy, etag: resource._etag };
  }

  async savePolicy(tenantId: string, policy: ApprovalPolicy, etag?: string): Promise<void> {
    const doc: PolicyDocument = { id: POLICY_DOCUMENT_ID, type: 'approvalPolicy', tenantId, policy };
    try {
      if (etag) {
        await this.container.item(POLICY_DOCUMENT_ID, tenantId).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      } else {
        await this.container.items.create(doc);
      }
    } catch (err) {
      // 412: changed since read; 409: someone saved first while we held the seed; 404: removed since read.
      const status = statusOf(err);
      if (status === 412 || status === 409 || status === 404) throw new ConcurrentUpdateError();
      throw err;
    }
  }

  async getApprovalsChannel(tenantId: string): Promise<ApprovalsChannel | undefined> {
    const { resource } = await this.container.item(CHANNEL_DOCUMENT_ID, tenantId).read<ChannelDocument & CosmosSystemFields>();
    if (!resource || resource.type !== 'approvalsChannel') return undefined;
    const { conversationId, name, setBy, setAt } = resource;
    return name === undefined ? { conversationId, setBy, setAt } : { conversationId, name, setBy, setAt };
  }

  async setApprovalsChannel(tenantId: string, channel: ApprovalsChannel): Promise<void> {
    const { conversationId, name, setBy, setAt } = channel;
    const doc: ChannelDocument = { id: CHANNEL_DOCUMENT_ID, type: 'approvalsChannel', tenantId, conversationId, setBy, setAt, ...(name === undefined ? {} : { name }) };
    await this.container.items.upsert(doc);
  }
}
