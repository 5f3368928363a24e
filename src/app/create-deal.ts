import type { CrmLink } from '../domain/crm-link';
import type { Deal } from '../domain/deal';
import { FIRST_DEAL_NUMBER } from '../domain/deal';
import { type DealDraft, newDeal } from '../domain/deal-draft';
import { DomainError } from '../domain/errors';
import { recordCrmEvent } from '../domain/crm-outbox';
import type { Person } from '../domain/person';
import { DuplicateIdError } from '../ports/deal-repository.port';
import type { Actor, AppDeps } from './context';
import { landedDeal } from './landed-deal';

const MAX_ATTEMPTS = 8;

/**
 * A new deal as typed (the form, a command); `crmLink`: the deal is a CRM record's (the Dataverse poll, the import),
 * linked by the create itself, so the record finds its deal again after a crash and is never brought in twice; `by`:
 * who created it, as history says (the CRM's user), when that is not the owner.
 */
export interface CreateDealInput {
  draft: DealDraft;
  crmLink?: CrmLink;
  by?: Person;
}

/**
 * The next deal number per tenant, remembered per deal repository (one per store, so per process and per test) so
 * the usual create is a single write; only a hint: the create itself claims the id.
 */
const nextNumbers = new WeakMap<object, Map<string, number>>();

function knownNumbers(deps: AppDeps): Map<string, number> {
  let known = nextNumbers.get(deps.store.deals);
  if (!known) nextNumbers.set(deps.store.deals, (known = new Map<string, number>()));
  return known;
}

async function freshNumber(deps: AppDeps, tenantId: string): Promise<number> {
  const highest = await deps.store.deals.highestNumber(tenantId);
  return Math.max((highest ?? FIRST_DEAL_NUMBER - 1) + 1, knownNumbers(deps).get(tenantId) ?? 0);
}

/**
 * Creates a deal with the next free short id of the tenant. The id is claimed by the create itself
 * (a second create of the same id fails with 409), so two instances can never hand out one id twice;
 * the next number is remembered per tenant so the usual create is a single write.
 */
export async function createDeal(deps: AppDeps, actor: Actor, input: CreateDealInput): Promise<Deal> {
  const { draft, ...from } = input;
  const known = knownNumbers(deps);
  const now = deps.clock.now().toISOString();
  newDeal(draft, { number: FIRST_DEAL_NUMBER, tenantId: actor.tenantId, owner: actor.user, now }); // validate before allocating
  let number = known.get(actor.tenantId) ?? (await freshNumber(deps, actor.tenantId));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const created = fromCrm(newDeal(draft, { number, tenantId: actor.tenantId, owner: actor.user, now }), from);
    // The CRM hears of the deal by the create itself (when a CRM is configured), unless the deal came from it.
    const deal = deps.settings.crmSync && !from.crmLink ? recordCrmEvent(undefined, created, actor.user, now) : created;
    try {
      const stored = await deps.store.deals.create(deal);
      known.set(actor.tenantId, number + 1);
      if (stored.deal.crmOutbox.length > 0) deps.crmQueued?.();
      return stored.deal;
    } catch (e) {
      if (!(e instanceof DuplicateIdError)) {
        // No clear answer (a timeout, a 503): the deal may exist. If it is this one, the create happened.
        const landed = await landedDeal(deps, deal);
        if (!landed) throw e;
        known.set(actor.tenantId, number + 1);
        if (landed.crmOutbox.length > 0) deps.crmQueued?.();
        return landed;
      }
      number = Math.max(number + 1, await freshNumber(deps, actor.tenantId));
    }
  }
  throw new DomainError('DEAL.NUMBERS_BUSY');
}

/** A new deal as a CRM record brings it in: linked to the record, created by the CRM's user. */
function fromCrm(deal: Deal, from: { crmLink?: CrmLink; by?: Person }): Deal {
  if (!from.crmLink && !from.by) return deal;
  return {
    ...deal,
    ...(from.crmLink ? { crmLink: { ...from.crmLink } } : {}),
    ...(from.by ? { history: deal.history.map((entry) => ({ ...entry, by: from.by! })) } : {}),
  };
}
