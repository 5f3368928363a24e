import type { Deal } from '../domain/deal';
import { type CsatInput, mayPlanRecovery, planRecovery, recordCsat } from '../domain/csat';
import { DomainError } from '../domain/errors';
import type { Person } from '../domain/person';
import { changeDeal, type ChangeOptions } from './change-deal';
import type { Actor, AppDeps } from './context';
import { getDeal } from './find-deal';

/** The owner's manager as DealDesk knows them (PersonRecord.managerId), if any. */
export async function managerOf(deps: AppDeps, tenantId: string, ownerId: string): Promise<Person | undefined> {
  const owner = await deps.store.people.get(tenantId, ownerId);
  if (!owner?.managerId) return undefined;
  const manager = await deps.store.people.get(tenantId, owner.managerId);
  return { id: owner.managerId, name: manager?.name ?? owner.managerId, ...(manager?.userId ? { userId: manager.userId } : {}) };
}

/**
 * Records a CSAT score. The manager is read before the write and handed to the pure change, so a low
 * score's notice to them is recorded by the same conditional write as the score.
 */
export async function recordCsatScore(deps: AppDeps, actor: Actor, dealId: string, input: CsatInput, options: ChangeOptions = {}): Promise<Deal> {
  const read = options.read ?? (await getDeal(deps, actor, dealId));
  const manager = await managerOf(deps, actor.tenantId, read.deal.owner.id);
  return changeDeal(deps, actor, dealId, (deal, at) => recordCsat(deal, input, manager, actor.user, at), { ...options, read });
}

/** Who may see and plan the recovery of a low score: the owner, the deal team, the owner's manager. */
export async function assertMayPlanRecovery(deps: AppDeps, actor: Actor, deal: Deal): Promise<string | undefined> {
  const owner = await deps.store.people.get(actor.tenantId, deal.owner.id);
  if (!mayPlanRecovery(deal, actor.user.id, owner?.managerId)) throw new DomainError('CSAT.NOT_ALLOWED', { id: deal.id });
  return owner?.managerId;
}

/** Stores the recovery plan (next step and its owner) on the low CSAT entry. */
export async function recordRecovery(deps: AppDeps, actor: Actor, dealId: string, csatId: string, nextStep: string, owner: Person, options: ChangeOptions = {}): Promise<Deal> {
  const read = options.read ?? (await getDeal(deps, actor, dealId));
  const managerId = await assertMayPlanRecovery(deps, actor, read.deal);
  return changeDeal(deps, actor, dealId, (deal, at) => planRecovery(deal, csatId, nextStep, owner, actor.user, at), {
    ...options,
    read,
    authorise: (who, deal) => {
      if (!mayPlanRecovery(deal, who.user.id, managerId)) throw new DomainError('CSAT.NOT_ALLOWED', { id: deal.id });
    },
  });
}
