/** Deals and people for the domain and card tests, built through the real domain code. */
import type { Deal } from '../../src/domain/deal';
import { type DealDraft, newDeal } from '../../src/domain/deal-draft';
import { type DomainError, isDomainError } from '../../src/domain/errors';
import type { Person } from '../../src/domain/person';

export const ALEX: Person = { id: 'aad-alex', name: 'Alex Wilber' };
export const MEGAN: Person = { id: 'aad-megan', name: 'Megan Bowen' };
export const TENANT = 'tenant-contoso';
export const CREATED_AT = '2026-11-02T09:00:00.000Z';
export const LATER = '2026-11-20T10:00:00.000Z';

export const CONTOSO_DRAFT: DealDraft = {
  account: 'Contoso Bank',
  title: 'Azure migration assessment',
  serviceLines: 'Consulting, Premier Support',
  value: '1.5m',
  currency: 'USD',
  closeDate: '2027-03-31',
  probability: '30',
  nextStep: 'Workshop with the CIO on 12 Jan',
};

/** A valid new deal (D-1042 unless told), with any draft fields overridden. */
export function aDeal(overrides: Partial<DealDraft> = {}, options: { number?: number; owner?: Person; now?: string } = {}): Deal {
  return newDeal({ ...CONTOSO_DRAFT, ...overrides }, { number: options.number ?? 1042, tenantId: TENANT, owner: options.owner ?? ALEX, now: options.now ?? CREATED_AT });
}

/** Every evidence item a gate can ask for. */
export const FULL_EVIDENCE = {
  bdm: 'Dana Smith, CFO',
  tdm: 'Lee Chen, CTO',
  budget: 'FY27 budget of USD 2M confirmed',
  solutionOutline: 'Landing zone, migration factory, 3 waves',
  proposalRef: 'SOW-2027-014',
} as const;

/** A deal already in `stage`, with the evidence that stage needed on the way. */
export function aDealIn(stage: Deal['stage'], overrides: Partial<Deal> = {}): Deal {
  return { ...aDeal(), stage, evidence: stage === 'Prospect' ? {} : { ...FULL_EVIDENCE }, ...overrides };
}

/** Runs `act` and returns the DomainError it throws (fails if it does not throw one). */
export function domainErrorOf(act: () => unknown): DomainError {
  try {
    act();
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}
