import type { ApprovalLevelConfig, ApprovalPolicy } from '../domain/approval-policy';
import { DomainError } from '../domain/errors';
import type { PersonRecord } from '../ports/people-repository.port';
import { ConcurrentUpdateError } from '../ports/deal-repository.port';
import { isAdmin } from './authorise';
import type { Actor, AppDeps } from './context';
import { shorten } from '../domain/shorten-text';

export async function assertAdmin(deps: AppDeps, actor: Actor): Promise<void> {
  if (!(await isAdmin(deps, actor))) throw new DomainError('ADMIN.ONLY');
}

/** `approvals here`: this channel becomes the tenant's approvals channel (admins only, in a channel). */
export async function setApprovalsChannel(deps: AppDeps, actor: Actor, place: { conversationId: string; type: string }): Promise<void> {
  await assertAdmin(deps, actor);
  if (place.type === 'personal') throw new DomainError('FOLLOW.NEEDS_CHANNEL');
  await deps.store.settings.setApprovalsChannel(actor.tenantId, { conversationId: place.conversationId, setBy: actor.user, setAt: deps.clock.now().toISOString() });
}

/** A level named by its number in the order ("1"), its id ("director") or its name ("deal desk"). */
export function findLevel(policy: ApprovalPolicy, ref: string): ApprovalLevelConfig {
  const key = ref.trim().toLowerCase().replace(/^level\s*/, '');
  const byNumber = /^\d+$/.test(key) ? policy.levels[Number(key) - 1] : undefined;
  const level = byNumber ?? policy.levels.find((l) => l.id.toLowerCase() === key.replace(/\s+/g, '') || l.name.toLowerCase() === key);
  if (!level) throw new DomainError('APPROVAL.LEVEL_UNKNOWN', { level: shorten(ref, 40), levels: policy.levels.map((l, i) => `${i + 1} ${l.name}`).join(', ') });
  return level;
}

/** Approvers of one level: each round copies them (and their decisions) into the deal, and Teams refreshes a card for at most 60 people. */
export const APPROVERS_MAX = 10;

/** `set approvers <level> <people…> [any|all]` (admins only); one conditional write of the policy. */
export async function setApprovers(deps: AppDeps, actor: Actor, levelRef: string, people: PersonRecord[], mode: 'any' | 'all' | undefined): Promise<ApprovalPolicy> {
  await assertAdmin(deps, actor);
  if (people.length > APPROVERS_MAX) throw new DomainError('APPROVAL.TOO_MANY_APPROVERS', { max: APPROVERS_MAX });
  for (let attempt = 1; attempt <= 4; attempt++) {
    const { policy, etag } = await deps.store.settings.getPolicy(actor.tenantId);
    const level = findLevel(policy, levelRef);
    const approvers = people.map((p) => ({ id: p.id, name: p.name, ...(p.userId ? { userId: p.userId } : {}) }));
    const next: ApprovalPolicy = { ...policy, levels: policy.levels.map((l) => (l.id === level.id ? { ...l, approvers, mode: mode ?? l.mode } : l)) };
    try {
      await deps.store.settings.savePolicy(actor.tenantId, next, etag);
      return next;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError)) throw e;
    }
  }
  throw new DomainError('APPROVAL.SETTINGS_BUSY');
}
