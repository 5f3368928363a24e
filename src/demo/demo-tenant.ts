import type { DealDraft } from '../domain/deal-draft';
import type { Evidence } from '../domain/evidence';
import type { LocalUserKey } from '../local-user-keys';

/** A step in a demo deal's life, `daysAgo` before the demo starts (history keeps those dates). */
export type DemoStep =
  | { daysAgo: number; kind: 'move'; to: 'Qualify' | 'Solution' | 'Proof'; evidence?: Evidence }
  | { daysAgo: number; kind: 'won'; finalValue: string }
  | { daysAgo: number; kind: 'lost'; reason: string }
  | { daysAgo: number; kind: 'plan'; plannedEndInDays: number; milestones: string }
  | { daysAgo: number; kind: 'requestApproval'; note: string };

export interface DemoDeal {
  createdDaysAgo: number;
  /** The close date, this many days after the demo starts. */
  closesInDays: number;
  draft: Omit<DealDraft, 'closeDate'>;
  team: Array<{ who: LocalUserKey; role: string }>;
  steps: DemoStep[];
}

const QUALIFIED: Evidence = { bdm: 'CIO, sponsor', tdm: 'Head of architecture', budget: 'Approved in the FY plan' };

/**
 * The demo tenant's pipeline, all owned by Alex Wilber (the SE): one deal per stage, one waiting for approval, one
 * won and in delivery with a CSAT follow-up due, one lost. Created in this order: D-1001 is the first.
 * D-1001 is the README's walk: Alex updates it, its deal team (Megan, Isaiah) and General hear about it, Megan approves.
 */
export const DEMO_DEALS: readonly DemoDeal[] = [
  {
    createdDaysAgo: 50,
    closesInDays: 45,
    draft: { account: 'Contoso Bank', title: 'Core banking migration', serviceLines: ['Consulting'], value: '2m', probability: '60', nextStep: 'Proposal review with the CFO' },
    team: [{ who: 'megan', role: 'Services manager' }, { who: 'isaiah', role: 'Architect' }],
    steps: [
      { daysAgo: 42, kind: 'move', to: 'Qualify' },
      { daysAgo: 30, kind: 'move', to: 'Solution', evidence: QUALIFIED },
      { daysAgo: 12, kind: 'move', to: 'Proof', evidence: { solutionOutline: 'Lift and modernise in three waves', proposalRef: 'PROP-2231' } },
    ],
  },
  {
    createdDaysAgo: 3,
    closesInDays: 120,
    draft: { account: 'Tailspin Toys', title: 'Data platform discovery', serviceLines: ['Enterprise Strategy'], value: '150k', probability: '10', nextStep: 'Discovery workshop' },
    team: [{ who: 'lynne', role: 'Consultant' }],
    steps: [],
  },
  {
    createdDaysAgo: 20,
    closesInDays: 75,
    draft: { account: 'Northwind Traders', title: 'Cloud landing zone', serviceLines: ['Consulting'], value: '400k', currency: 'EUR', probability: '30', nextStep: 'Meet the budget holder' },
    team: [{ who: 'isaiah', role: 'Architect' }],
    steps: [{ daysAgo: 15, kind: 'move', to: 'Qualify' }],
  },
  {
    createdDaysAgo: 35,
    closesInDays: 60,
    draft: { account: 'Fabrikam', title: 'SAP on Azure assessment', serviceLines: ['Consulting', 'Premier Support'], value: '900k', probability: '40', nextStep: 'Solution outline review' },
    team: [{ who: 'isaiah', role: 'Architect' }, { who: 'lynne', role: 'Delivery manager' }],
    steps: [
      { daysAgo: 28, kind: 'move', to: 'Qualify' },
      { daysAgo: 9, kind: 'move', to: 'Solution', evidence: QUALIFIED },
    ],
  },
  {
    createdDaysAgo: 60,
    closesInDays: 21,
    draft: { account: 'Woodgrove Bank', title: 'Fraud analytics platform', serviceLines: ['Consulting'], value: '6.2m', probability: '80', nextStep: 'Approval, then signature' },
    team: [{ who: 'isaiah', role: 'Architect' }],
    steps: [
      { daysAgo: 55, kind: 'move', to: 'Qualify' },
      { daysAgo: 40, kind: 'move', to: 'Solution', evidence: QUALIFIED },
      { daysAgo: 20, kind: 'move', to: 'Proof', evidence: { solutionOutline: 'Streaming analytics on Fabric', proposalRef: 'PROP-2207' } },
      { daysAgo: 0.1, kind: 'requestApproval', note: 'Signature planned in three weeks' },
    ],
  },
  {
    createdDaysAgo: 100,
    closesInDays: -40,
    draft: { account: 'Litware', title: 'Contact center modernisation', serviceLines: ['Premier Support'], value: '750k', probability: '70', nextStep: 'Kickoff' },
    team: [{ who: 'lynne', role: 'Delivery manager' }],
    steps: [
      { daysAgo: 90, kind: 'move', to: 'Qualify' },
      { daysAgo: 70, kind: 'move', to: 'Solution', evidence: QUALIFIED },
      { daysAgo: 55, kind: 'move', to: 'Proof', evidence: { solutionOutline: 'Omnichannel contact center', proposalRef: 'PROP-2150' } },
      { daysAgo: 40, kind: 'won', finalValue: '780k' },
      // The first CSAT follow-up is due 30 days after kickoff: 10 days ago, so it is asked when the demo starts.
      { daysAgo: 39, kind: 'plan', plannedEndInDays: 50, milestones: 'Design sign-off\nGo-live' },
    ],
  },
  {
    createdDaysAgo: 45,
    closesInDays: -20,
    draft: { account: 'Adatum', title: 'Managed security operations', serviceLines: ['Premier Support'], value: '300k', probability: '20', nextStep: 'Follow up in Q3' },
    team: [],
    steps: [
      { daysAgo: 38, kind: 'move', to: 'Qualify' },
      { daysAgo: 20, kind: 'lost', reason: "Chose the incumbent's renewal" },
    ],
  },
];

/** Who manages whom (Alex → Megan → Adele) and who approves at each level of the default policy. */
export const DEMO_MANAGERS: ReadonlyArray<[LocalUserKey, LocalUserKey]> = [
  ['alex', 'megan'],
  ['megan', 'adele'],
];
export const DEMO_APPROVERS: ReadonlyArray<{ level: string; who: LocalUserKey[]; mode: 'any' | 'all' }> = [
  { level: '1', who: ['megan'], mode: 'any' },
  { level: '2', who: ['adele'], mode: 'all' },
  { level: '3', who: ['patti'], mode: 'any' },
];
/** General is the approvals channel and follows Contoso Bank's deals. */
export const DEMO_FOLLOWED_ACCOUNT = 'Contoso Bank';
/** Alex's targets this fiscal year (PG1, PG2). */
export const DEMO_QUOTA = { pg1: '5m', pg2: '1m' };
