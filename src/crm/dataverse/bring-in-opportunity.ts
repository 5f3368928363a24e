import { applyCrmChange, type CrmChangeInput, crmPerson } from '../../app/apply-crm-change';
import type { AppDeps } from '../../app/context';
import type { Deal } from '../../domain/deal';
import type { DealDraft } from '../../domain/deal-draft';
import { isDomainError } from '../../domain/errors';
import type { Person } from '../../domain/person';
import type { FieldOwnership } from '../field-ownership';
import { inboundChangeOf } from './inbound-change';
import type { RecordLookups } from './record-lookups';
import { type CrmOpportunity, isDeletedEntry, olderThan, type OpportunityRecord, readOpportunity } from './opportunity-record';

/** What became of one opportunity: a new deal, a change applied, nothing to do, or a refusal (a gate, the policy). */
export type BroughtIn =
  | { outcome: 'created'; dealId: string }
  | { outcome: 'applied'; dealId: string }
  | { outcome: 'skipped'; dealId?: string; why: 'deleted' | 'unreadable' | 'same version' | 'older version' | 'unchanged' | 'applied before' | 'no owner' | 'closed' }
  | { outcome: 'refused'; dealId?: string; recordId: string; code: string };

export interface BringInContext {
  deps: AppDeps;
  /** The Teams tenant the environment's deals belong to (DATAVERSE_TENANT_ID). */
  tenantId: string;
  ownership: FieldOwnership;
  lookups: RecordLookups;
  createDeal: (actor: { tenantId: string; user: Person }, draft: DealDraft, from: { crmLink: { recordId: string; etag: string }; by?: Person }) => Promise<Deal>;
  /** The poll creates deals only for owners DealDesk knows; the import for any owner with an Entra id. */
  newDealsFor: 'known people' | 'any person';
  signal?: AbortSignal;
}

/**
 * The service line a deal brought in from the CRM starts with: an opportunity has none, a deal needs one. Its owner
 * sets the right ones in Teams (docs/crm-sync.md).
 */
export const NEW_DEAL_SERVICE_LINE = 'Consulting';

/** The change's own id: a replay (after a crash, or another instance's poll) is a duplicate the deal recognises. */
export const eventIdOf = (opp: CrmOpportunity): string => `dataverse:${opp.recordId}:${opp.version}`;

/** Who changed the record, as applyCrmChange records CRM people. */
const actorOf = (opp: CrmOpportunity) => ({ name: (opp.modifiedBy ?? opp.ownerName ?? 'Dynamics 365').slice(0, 100) });

/**
 * Brings one opportunity (a change-tracking entry, or an import's record) into DealDesk: its deal (found by
 * `crmLink.recordId`) changes through applyCrmChange, as the signed webhook's changes do (gates, approval policy,
 * history, alerts), or an open opportunity without a deal becomes one, linked by the create. Domain refusals are
 * returned; anything else (the store, the CRM) is thrown: the round stops and resumes from its last page.
 */
export async function bringInOpportunity(ctx: BringInContext, record: OpportunityRecord): Promise<BroughtIn> {
  if (isDeletedEntry(record)) return { outcome: 'skipped', why: 'deleted' };
  const opp = readOpportunity(record);
  if (!opp) return { outcome: 'skipped', why: 'unreadable' };
  const stored = await ctx.deps.store.deals.findByCrmRecord(ctx.tenantId, opp.recordId);
  if (!stored) return newDeal(ctx, opp);
  const { deal } = stored;
  // DealDesk's own write coming back (the target kept the version it wrote), or a version already brought in.
  if (deal.crmLink?.etag === opp.etag) return { outcome: 'skipped', dealId: deal.id, why: 'same version' };
  // A version older than the one DealDesk last wrote (or brought in): the page was read before that write, or is a
  // replay after a crash. What it held is in the later version, which change tracking reports (or reported) too.
  if (olderThan(opp.version, deal.crmLink?.etag)) return { outcome: 'skipped', dealId: deal.id, why: 'older version' };
  const currency = opp.currencyRecordId ? await ctx.lookups.currency(opp.currencyRecordId, ctx.signal) : undefined;
  const { changes, conflicts } = inboundChangeOf(deal, { ...opp, currency }, ctx.ownership);
  // Nothing to change and nothing to record: DealDesk's own write coming back, or a column DealDesk does not sync.
  if (Object.keys(changes).length === 0 && conflicts.length === 0) return { outcome: 'skipped', dealId: deal.id, why: 'unchanged' };
  // A change the field rules kept DealDesk's values for is still recorded: a conflict entry with both values.
  const input: CrmChangeInput = {
    tenantId: ctx.tenantId,
    dealId: deal.id,
    eventId: eventIdOf(opp),
    changes,
    actor: actorOf(opp),
    link: { recordId: opp.recordId, etag: opp.etag },
    // Found by its record just now: the change starts from this read, not a second one.
    read: stored,
    conflicts,
  };
  try {
    const result = await applyCrmChange(ctx.deps, input);
    return result.duplicate ? { outcome: 'skipped', dealId: deal.id, why: 'applied before' } : { outcome: 'applied', dealId: deal.id };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { outcome: 'refused', dealId: deal.id, recordId: opp.recordId, code: e.code };
  }
}

/** An open opportunity without a deal, whose owner is someone DealDesk may give a deal to: a new deal, linked to it. */
async function newDeal(ctx: BringInContext, opp: CrmOpportunity): Promise<BroughtIn> {
  if (opp.state !== 'open') return { outcome: 'skipped', why: 'closed' };
  const crmOwner = opp.ownerUserId ? await ctx.lookups.owner(opp.ownerUserId, ctx.signal) : undefined;
  if (!crmOwner?.aadObjectId) return { outcome: 'skipped', why: 'no owner' };
  const known = await ctx.deps.store.people.get(ctx.tenantId, crmOwner.aadObjectId);
  if (!known && ctx.newDealsFor === 'known people') return { outcome: 'skipped', why: 'no owner' };
  const owner: Person = known ? { id: known.id, name: known.name, ...(known.userId ? { userId: known.userId } : {}) } : { id: crmOwner.aadObjectId, name: crmOwner.name ?? opp.ownerName ?? crmOwner.aadObjectId };
  const currency = opp.currencyRecordId ? await ctx.lookups.currency(opp.currencyRecordId, ctx.signal) : undefined;
  const draft: DealDraft = { serviceLines: [NEW_DEAL_SERVICE_LINE], title: opp.title, account: opp.account, value: opp.value, currency, closeDate: opp.closeDate, probability: opp.probability, nextStep: opp.nextStep };
  try {
    const deal = await ctx.createDeal({ tenantId: ctx.tenantId, user: owner }, draft, { crmLink: { recordId: opp.recordId, etag: opp.etag }, by: crmPerson(actorOf(opp)) });
    return { outcome: 'created', dealId: deal.id };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { outcome: 'refused', recordId: opp.recordId, code: e.code };
  }
}
