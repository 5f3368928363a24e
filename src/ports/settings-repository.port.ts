import type { ApprovalPolicy } from '../domain/approval-policy';
import type { Person } from '../domain/person';

/** The channel where approval cards are posted, as an admin set it. */
export interface ApprovalsChannel {
  /** The Teams conversation id of the channel. */
  conversationId: string;
  /** The channel's display name, when known. */
  name?: string;
  setBy: Person;
  setAt: string;
}

/** A tenant's approval policy as read, with the version token a conditional save needs (absent for the seed). */
export interface StoredPolicy {
  policy: ApprovalPolicy;
  etag?: string;
}

/** Per-tenant settings an admin edits. Every method is scoped by tenant. */
export interface SettingsRepository {
  /**
   * The tenant's stored approval policy with its etag, or, when none is stored, a fresh copy of the
   * seed (DEFAULT_APPROVAL_POLICY) without an etag.
   */
  getPolicy(tenantId: string): Promise<StoredPolicy>;
  /**
   * Saves the policy conditionally. With `etag` (from getPolicy): only if the stored policy still has
   * it. Without: only if none is stored yet (a seed was read). Throws ConcurrentUpdateError
   * (deal-repository.port) when someone saved in between.
   */
  savePolicy(tenantId: string, policy: ApprovalPolicy, etag?: string): Promise<void>;
  getApprovalsChannel(tenantId: string): Promise<ApprovalsChannel | undefined>;
  /** Sets (or replaces) the approvals channel; the last write wins. */
  setApprovalsChannel(tenantId: string, channel: ApprovalsChannel): Promise<void>;
}
