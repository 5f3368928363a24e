import { setApprovalsChannel, setApprovers } from '../app/approval-settings';
import type { Actor, AppDeps } from '../app/context';
import { createDeal } from '../app/create-deal';
import { accountTarget, followAccount } from '../app/follow-deals';
import { addToTeam } from '../app/manage-team';
import { setManager, setQuota } from '../app/manage-quota';
import { moveDeal, type MoveResult } from '../app/move-deal';
import type { Deal } from '../domain/deal';
import { saveDeliveryPlan } from '../app/plan-delivery';
import { requestApproval } from '../app/request-approval';
import { addDays } from '../domain/delivery-plan-rules';
import type { LocalUserKey } from '../local-user-keys';
import { PLAYGROUND_IDENTITY, PLAYGROUND_USERS } from '../local/playground';
import type { Clock } from '../ports/clock.port';
import type { PersonRecord } from '../ports/people-repository.port';
import { DEMO_APPROVERS, DEMO_DEALS, DEMO_FOLLOWED_ACCOUNT, DEMO_MANAGERS, DEMO_QUOTA, type DemoStep } from './demo-tenant';

const DAY_MS = 86_400_000;

export interface SeededDemo {
  deals: number;
}

/**
 * Seeds the demo tenant (demo-tenant.ts) into an empty store, as its people would have built it: every deal, move,
 * team change and approval goes through the same use cases as a chat command, with the clock set to the day it
 * happened. Acts as Alex Wilber, the local admin. The store must be fresh (demo-data-dir.ts checks).
 *
 * The alerts of that made-up past are not sent weeks late: everyone has alerts off while it is written, `drain`
 * (one round of the notifier) lets the dispatcher finish them, and only then are alerts turned on and General made
 * to follow Contoso Bank. What is due now (the approval asked for D-1005, the CSAT follow-up of D-1006) stays due.
 */
export async function seedDemo(deps: Omit<AppDeps, 'clock'>, now: Date, drain: () => Promise<unknown>): Promise<SeededDemo> {
  let at = now;
  const clock: Clock = { now: () => at };
  const when = (daysAgo: number) => (at = new Date(now.getTime() - daysAgo * DAY_MS));
  const d: AppDeps = { ...deps, clock, settings: { ...deps.settings, admins: [PLAYGROUND_USERS.alex.aadObjectId] } };
  const tenantId = PLAYGROUND_IDENTITY.tenantId;
  const person = (key: LocalUserKey): PersonRecord => {
    const u = PLAYGROUND_USERS[key];
    return { tenantId, id: u.aadObjectId, name: u.name, email: u.email, userId: u.id, updatedAt: at.toISOString() };
  };
  const actor = (key: LocalUserKey): Actor => ({ tenantId, user: { id: PLAYGROUND_USERS[key].aadObjectId, name: PLAYGROUND_USERS[key].name } });
  const alex = actor('alex');

  when(120);
  const everyone = Object.keys(PLAYGROUND_USERS) as LocalUserKey[];
  for (const key of everyone) await d.store.people.upsert({ ...person(key), alertsOff: true });
  for (const [who, manager] of DEMO_MANAGERS) await setManager(d, alex, person(who), person(manager));
  await setQuota(d, alex, { ...person('alex'), managerId: PLAYGROUND_USERS.megan.aadObjectId }, DEMO_QUOTA.pg1, DEMO_QUOTA.pg2);
  await setApprovalsChannel(d, alex, { conversationId: PLAYGROUND_IDENTITY.team.id, type: 'channel' });
  for (const level of DEMO_APPROVERS) await setApprovers(d, alex, level.level, level.who.map(person), level.mode);
  for (const demo of DEMO_DEALS) {
    when(demo.createdDaysAgo);
    const closeDate = addDays(now.toISOString().slice(0, 10), demo.closesInDays);
    const deal = await createDeal(d, alex, { draft: { ...demo.draft, closeDate } });
    for (const member of demo.team) await addToTeam(d, alex, deal.id, person(member.who), member.role);
    for (const step of [...demo.steps].sort((a, b) => b.daysAgo - a.daysAgo)) {
      when(step.daysAgo);
      await applyStep(d, alex, deal.id, step, now);
    }
  }
  at = now;
  await drain();
  for (const key of everyone) await d.store.people.setAlertsOff(tenantId, person(key).id, false);
  await followAccount(d, alex, { conversationId: PLAYGROUND_IDENTITY.team.id, type: 'channel' }, accountTarget(DEMO_FOLLOWED_ACCOUNT));
  return { deals: DEMO_DEALS.length };
}

/** A demo step's move must happen: one stopped at its gate is a mistake in the demo data. */
async function moved(move: Promise<MoveResult>): Promise<Deal> {
  const result = await move;
  if (result.kind !== 'moved') throw new Error(`demo move of ${result.deal.id} did not happen: ${result.kind}`);
  return result.deal;
}

async function applyStep(d: AppDeps, alex: Actor, id: string, step: DemoStep, now: Date): Promise<unknown> {
  switch (step.kind) {
    case 'move':
      return moved(moveDeal(d, alex, { id, target: { stage: step.to }, evidence: step.evidence }));
    case 'won':
      return moved(moveDeal(d, alex, { id, target: { stage: 'Close', outcome: 'Won' }, finalValue: step.finalValue }));
    case 'lost':
      return moved(moveDeal(d, alex, { id, target: { stage: 'Close', outcome: 'Lost' }, note: step.reason }));
    case 'plan': {
      const deal = (await d.store.deals.get(alex.tenantId, id))!.deal;
      const kickoff = deal.delivery!.kickoff;
      return saveDeliveryPlan(d, alex, id, { kickoff, plannedEnd: addDays(now.toISOString().slice(0, 10), step.plannedEndInDays), milestones: step.milestones });
    }
    case 'requestApproval':
      return requestApproval(d, alex, id, step.note, { inOwnChat: true });
  }
}
