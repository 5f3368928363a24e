/**
 * One DealDesk instance's place in a tenant's Teams send budget: until when its membership holds (renewed while it
 * lives), and from when it may send (a newcomer waits until every other instance has seen it: send-budget.ts).
 */
export interface BudgetMember {
  instanceId: string;
  /** ISO time: the membership lapses then unless renewed. */
  until: string;
  /** ISO time: from then on it owns conversations and takes its share. */
  activeFrom: string;
}

/** A tenant's budget members as read, with the version token a conditional save needs. */
export interface StoredBudget {
  members: BudgetMember[];
  etag: string;
}

/**
 * The tenant's send-budget document: who shares Teams's per-app-per-tenant limit. Point read and one conditional
 * write; ConcurrentUpdateError (deal-repository.port) when another instance saved in between.
 */
export interface SendBudgetRepository {
  get(tenantId: string): Promise<StoredBudget | undefined>;
  /** With `etag`: only if the document still has it. Without: only if there is none yet. */
  save(tenantId: string, members: BudgetMember[], etag?: string): Promise<StoredBudget>;
}
