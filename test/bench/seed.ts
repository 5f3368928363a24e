import { performance } from 'node:perf_hooks';
import type { Container, CreateOperationInput, Database, JSONObject } from '@azure/cosmos';
import { type Deal, type HistoryEntry, dealDefaults, dealIdOf, FIRST_DEAL_NUMBER } from '../../src/domain/deal';
import type { Evidence } from '../../src/domain/evidence';
import type { Person } from '../../src/domain/person';
import { ROLES } from '../../src/domain/deal-team';
import { SERVICE_LINES } from '../../src/domain/service-line';
import { STAGES, type Stage } from '../../src/domain/stage';
import type { Store } from '../../src/ports/store.port';
import { toDealDocument } from '../../src/store/deal-document';
import { type ArchiveDocument, archiveIdOf } from '../../src/store/cosmos-deal-archive';
import { archiveOldest } from '../../src/domain/deal-archive';
import { containerOf } from './bench-containers';
import { USERS } from '../support/activities';
import { TENANT } from '../bot/deal-fixtures';
import { inPool } from './stats';
import { prng } from '../support/prng';

/** The measured user: Alex Wilber, as the test activities send him (personal chat `a:personal-alex`). */
export const ME: Person = { id: USERS.alex.aadObjectId, name: USERS.alex.name };
export { TENANT };

export interface DealSetOptions {
  /** Deals in the tenant, all owners together. */
  total: number;
  /** Distinct owners, the measured user included. */
  owners: number;
  /** Deals the measured user owns. */
  mine: number;
  /** People who sit on the measured user's deal teams (they get alerts 1:1). */
  colleagues: Person[];
  now: string;
  /** Share (0–1) of the other owners' deals written with a long, partly archived history; none by default. */
  archivedShare?: number;
}

export interface SeededDeals {
  /** The measured user's deals, every stage. */
  mine: string[];
  /** The measured user's deals in Prospect (for moves: Prospect → Qualify needs no evidence, back needs a reason). */
  prospect: string[];
  /** Archive documents written (older history of the deals with a long one). */
  archives: number;
  ms: number;
  docBytes: number;
}


const ACCOUNTS = Array.from({ length: 400 }, (_, i) => `${['Contoso', 'Fabrikam', 'Northwind', 'Litware', 'Adventure Works', 'Tailspin', 'Woodgrove', 'Proseware'][i % 8]} ${['Bank', 'Retail', 'Health', 'Energy', 'Logistics', 'Insurance', 'Telecom', 'Government', 'Media', 'Automotive'][Math.floor(i / 8) % 10]} ${Math.floor(i / 80) + 1}`);
const TOPICS = ['Azure migration assessment', 'Security posture review', 'Data platform modernisation', 'Copilot adoption programme', 'Premier Support renewal', 'SAP on Azure landing zone', 'Identity and access redesign', 'Mainframe offload study', 'Contact centre AI pilot', 'DevOps transformation'];
/** The measured user's stages, by deal index modulo 10: 30 % Prospect, 20 % Qualify, 20 % Solution, 10 % Proof, 20 % closed. */
const MY_STAGES: Array<[Stage, 'Won' | 'Lost' | undefined]> = [['Prospect', undefined], ['Prospect', undefined], ['Prospect', undefined], ['Qualify', undefined], ['Qualify', undefined], ['Solution', undefined], ['Solution', undefined], ['Proof', undefined], ['Close', 'Won'], ['Close', 'Lost']];

function makeDeal(number: number, owner: Person, stage: Stage, outcome: 'Won' | 'Lost' | undefined, team: Person[], random: () => number, now: string): Deal {
  const created = new Date(Date.parse(now) - Math.floor(random() * 200 + 20) * 86_400_000);
  const at = (days: number) => new Date(created.getTime() + days * 86_400_000).toISOString();
  const history: HistoryEntry[] = [{ at: at(0), by: owner, change: { kind: 'created' } }];
  const evidence: Evidence = {};
  const reached = STAGES.indexOf(stage);
  for (let s = 1; s <= reached; s++) {
    const from = STAGES[s - 1]!;
    if (from === 'Qualify') Object.assign(evidence, { bdm: 'Dana Li, COO', tdm: 'Sam Ortiz, CTO', budget: 'FY27 transformation budget' });
    if (from === 'Solution') evidence.solutionOutline = 'Two-phase assessment then migration factory';
    if (from === 'Proof') evidence.proposalRef = `SOW-2027-${String(number % 1000).padStart(3, '0')}`;
    const to = STAGES[s]!;
    history.push({ at: at(s * 7), by: owner, change: to === 'Close' ? { kind: 'stage', from, to, outcome: outcome ?? 'Won', ...(outcome === 'Lost' ? { note: 'Lost to a competitor on price' } : {}) } : { kind: 'stage', from, to } });
  }
  history.push({ at: at(3), by: owner, change: { kind: 'field', field: 'nextStep', from: '', to: 'Scoping workshop with the CIO' } });
  const members = team.map((person, i) => ({ person, role: ROLES[i % ROLES.length]! }));
  for (const m of members) history.push({ at: at(2), by: owner, change: { kind: 'team', action: 'added', person: m.person, role: m.role } });
  history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const lines = SERVICE_LINES.filter(() => random() < 0.5);
  const updatedAt = history[history.length - 1]!.at;
  return {
    id: dealIdOf(number),
    number,
    tenantId: TENANT,
    title: `${TOPICS[number % TOPICS.length]} ${number}`,
    account: ACCOUNTS[Math.floor(random() * ACCOUNTS.length)]!,
    owner,
    serviceLines: lines.length ? lines : ['Consulting'],
    value: { amount: Math.round(random() * 40 + 1) * 50_000, currency: random() < 0.8 ? 'USD' : 'EUR' },
    closeDate: `2027-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
    probability: [10, 20, 40, 60, 80, 100][Math.min(reached + (outcome === 'Won' ? 1 : 0), 5)]!,
    nextStep: 'Scoping workshop with the CIO',
    stage,
    ...(outcome ? { outcome } : {}),
    ...(outcome === 'Lost' ? { closeReason: 'Lost to a competitor on price' } : {}),
    evidence,
    history,
    createdAt: created.toISOString(),
    updatedAt,
    rev: history.length,
    ...dealDefaults(),
    team: members,
  };
}

/**
 * `total` deals over `owners` owners, `mine` of them the measured user's (spread evenly over the numbers), written
 * with the SDK's bulk API (100 operations a request, 4 requests in flight), not one create at a time. Documents are
 * made batch by batch as the requests go out (in the same order whatever the timing), so the benchmark never holds
 * a second copy of what the store holds. With `archivedShare`, that share of the other owners' deals has a long
 * history whose oldest entries live in archive documents of the deal's own (domain/deal-archive.ts), as a deal
 * written many times has; the measured user's deals never do (a move there would write a chunk in some turns only).
 */
export async function seedDeals(database: Database, options: DealSetOptions): Promise<SeededDeals> {
  const started = performance.now();
  const random = prng(7);
  const container = database.container(containerOf('deals').id);
  const others: Person[] = Array.from({ length: Math.max(1, options.owners - 1) }, (_, i) => ({ id: `owner-${String(i).padStart(5, '0')}`, name: `Seller ${i}` }));
  const step = Math.max(1, Math.floor(options.total / Math.max(1, options.mine)));
  const archivedShare = options.archivedShare ?? 0;
  const mine: string[] = [];
  const prospect: string[] = [];
  let docBytes = 0;
  let archives = 0;
  let mineSoFar = 0;
  let otherIndex = 0;
  let i = 0;
  const nextDocuments = (): object[] => {
    const docs: object[] = [];
    // 100 deals a batch, their archive documents besides.
    for (const end = Math.min(options.total, i + 100); i < end; i++) {
      const number = FIRST_DEAL_NUMBER + i;
      let deal: Deal;
      if (i % step === 0 && mineSoFar < options.mine) {
        const [stage, outcome] = MY_STAGES[mineSoFar % MY_STAGES.length]!;
        const team = [options.colleagues[mineSoFar % options.colleagues.length]!, options.colleagues[(mineSoFar + 1) % options.colleagues.length]!];
        deal = makeDeal(number, ME, stage, outcome, team, random, options.now);
        mine.push(deal.id);
        if (stage === 'Prospect') prospect.push(deal.id);
        mineSoFar++;
      } else {
        const owner = others[otherIndex++ % others.length]!;
        const [stage, outcome] = MY_STAGES[Math.floor(random() * MY_STAGES.length)]!;
        const team = Array.from({ length: Math.floor(random() * 4) }, (_, k) => ({ id: `member-${(i * 7 + k) % 5000}`, name: `Colleague ${(i * 7 + k) % 5000}` }));
        deal = makeDeal(number, owner, stage, outcome, team, random, options.now);
        if (archivedShare > 0 && random() < archivedShare) deal = withLongHistory(deal, random);
      }
      const { deal: kept, chunks } = archiveOldest(deal);
      for (const chunk of chunks) docs.push({ id: archiveIdOf(chunk.dealId, chunk.list, chunk.chunk), type: 'dealArchive', ...chunk } satisfies ArchiveDocument);
      archives += chunks.length;
      const doc = toDealDocument(kept);
      if (i < 200) docBytes += JSON.stringify(doc).length;
      docs.push(doc);
    }
    return docs;
  };
  const batches = Math.ceil(options.total / 100);
  await inPool(Array.from({ length: batches }, (_, k) => k), 4, async () => {
    const operations: CreateOperationInput[] = [];
    for (const doc of nextDocuments()) operations.push({ operationType: 'Create', resourceBody: doc as JSONObject });
    // A deal with a long history adds its archive documents: a bulk request stays within 100 operations.
    for (let from = 0; from < operations.length; from += 100) await bulkCreate(container, operations.slice(from, from + 100));
  });
  return { mine, prospect, archives, ms: performance.now() - started, docBytes: Math.round(docBytes / Math.min(200, options.total)) };
}

/**
 * One bulk request of creates. A request that fails without an answer (a kept-alive socket the server closed just as
 * it was reused: "socket hang up", which the SDK does not retry for bulk) is sent again, up to 3 times; on a retry a
 * 409 means the earlier attempt created that document.
 */
async function bulkCreate(container: Container, operations: CreateOperationInput[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let results;
    try {
      results = await container.items.bulk(operations);
    } catch (err) {
      if (attempt < 3 && (err as { code?: unknown }).code === undefined) continue;
      throw err;
    }
    const failed = results.find((r) => r.statusCode >= 300 && !(attempt > 1 && r.statusCode === 409));
    if (failed) throw new Error(`bulk create failed with ${failed.statusCode}`);
    return;
  }
}

const NEXT_STEPS = ['Scoping workshop with the CIO', 'Send the revised SOW', 'Security review with the CISO', 'Reference call with Woodgrove', 'Pricing approval from the BDM', '架构评审会议'];

/** The deal after 60–260 more changes (next steps and notes, a few days apart): enough to archive 1 to 21 chunks. */
function withLongHistory(deal: Deal, random: () => number): Deal {
  const extra = 60 + Math.floor(random() * 201);
  const history = [...deal.history];
  let at = Date.parse(deal.createdAt);
  let nextStep = deal.nextStep;
  for (let k = 0; k < extra; k++) {
    at += Math.floor(random() * 3 + 1) * 3_600_000;
    const when = new Date(at).toISOString();
    if (k % 3 === 0) history.push({ at: when, by: deal.owner, change: { kind: 'note', text: `Call ${k}: ${NEXT_STEPS[k % NEXT_STEPS.length]} agreed; follow-up owner confirmed.` } });
    else {
      const to = NEXT_STEPS[(k + 1) % NEXT_STEPS.length]!;
      history.push({ at: when, by: deal.owner, change: { kind: 'field', field: 'nextStep', from: nextStep, to } });
      nextStep = to;
    }
  }
  history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { ...deal, history, nextStep, rev: history.length, updatedAt: history[history.length - 1]!.at };
}

/** A reference as DealDesk stores it for a conversation on `serviceUrl` (see test/reliability/fan-out-seed.ts). */
export const referenceOf = (serviceUrl: string, conversationId: string, conversationType: 'personal' | 'channel', userId?: string) => ({
  channelId: 'msteams',
  serviceUrl,
  bot: { id: '28:dealdesk', name: 'DealDesk' },
  conversation: { id: conversationId, conversationType, tenantId: TENANT },
  ...(userId ? { user: { id: userId } } : {}),
});

/** People DealDesk knows, each with a 1:1 chat it can send to (through the store, as the reliability test seeds). */
export async function seedPeopleWithChats(store: Store, people: Person[], serviceUrl: string, now: string, concurrency = 8): Promise<string[]> {
  const conversations: string[] = [];
  await inPool(people, concurrency, async (person) => {
    const conversationId = `a:1on1-${person.id}`;
    await store.people.upsert({ tenantId: TENANT, ...person, userId: `29:${person.id}`, serviceUrl, updatedAt: now });
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'personal', userId: person.id, reference: referenceOf(serviceUrl, conversationId, 'personal', `29:${person.id}`), installed: true, updatedAt: now });
    conversations.push(conversationId);
  });
  return conversations;
}

export const colleagues = (count: number, prefix = 'colleague'): Person[] =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${String(i).padStart(4, '0')}`, name: `${prefix[0]!.toUpperCase()}${prefix.slice(1)} ${i}` }));
