import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CONTAINERS } from '../../src/store/containers';
import { USERS, type UserKey } from '../support/activities';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { contosoForm, TENANT } from '../bot/deal-fixtures';

/**
 * The authorization matrix (issue 8, item 3): every command and card verb that reads or changes something, for
 * every role, through /api/messages. Who acts comes from `from.aadObjectId` only: every card press also carries
 * forged personId/ownerId/userId/tenantId fields naming the owner, which must change nothing.
 *
 * Roles: the owner (Alex), a deal-team member (Adele), the owner's manager (Megan), an approver of level 1
 * (Isaiah), an admin (Lynne, ADMINS), a stranger of the same tenant (Patti).
 *
 * It runs once per DEAL_VISIBILITY (issue 14, item 3). Under `tenant` everyone reads every deal; under `team`
 * only the deal's readers (TEAM_READERS) do, and anyone else, whatever the row, gets "no access", worded as for
 * a deal that does not exist and carrying nothing of the deal.
 */
const ROLES = { stranger: 'patti', member: 'adele', manager: 'megan', approver: 'isaiah', admin: 'lynne', owner: 'alex' } as const satisfies Record<string, UserKey>;
type Role = keyof typeof ROLES;
const ROLE_ORDER: Role[] = ['stranger', 'member', 'approver', 'manager', 'admin', 'owner'];
/**
 * A row a stranger may use is a read or a person's own choice (mute, alerts, follow, a new deal of their own): whoever
 * runs it, it writes no deal that exists (issue 14, item 4: a stranger's mute rewrote the owner's deal).
 */
const isReadOrSelfOnly = (row: Row): boolean => row.expect.stranger === undefined;
/** The order a row runs in: the refused first, so each refusal meets the state before any allowed change. */
const orderOf = (row: Row): Role[] => [...ROLE_ORDER.filter((r) => row.expect[r]), ...ROLE_ORDER.filter((r) => !row.expect[r])];

const OK = 'ok' as const;
const NOT_OWNER = (id: string) => new RegExp(`Only Alex Wilber, who owns ${id}, can change it`);
const NOT_TEAM = (id: string) => new RegExp(`Only Alex Wilber, who owns ${id}, their manager or an admin can change its deal team`);
const ADMIN_ONLY = /Only a DealDesk admin can do that/;
const NOT_QUOTA = /Only Alex Wilber's manager or a DealDesk admin can set their quota/;
const NOT_RECOVERY = (id: string) => new RegExp(`Only the owner of ${id}, their manager or the deal team can plan the recovery`);
const NOT_APPROVER = /Only the approvers of the current level|You asked for this approval/;
/** Reassigning (issue 17, item 4): the owner's manager or an admin, never the owner. */
const NOT_REASSIGN = (what: string) => new RegExp(`Only Alex Wilber's manager or a DealDesk admin can reassign ${what}`);
const NOT_REASSIGN_TO_APPROVER = /D-1004 can't go to Isaiah Langer: they approve level Services manager of its open approval round/;
const reassigners = (what: string): Row['expect'] => ({ stranger: NOT_REASSIGN(what), member: NOT_REASSIGN(what), approver: NOT_REASSIGN(what), owner: NOT_REASSIGN(what) });
const NOT_FOLLOWER = (id: string) => new RegExp(`Only the owner of ${id}, a member of its deal team, the owner's manager or an admin can follow it`);
/** DEAL_VISIBILITY=team, a deal the person may not read: the answer an unknown id gets too. */
const NO_ACCESS = (id: string) => new RegExp(`You don't have access to a deal matching "${id}", or there is none\\.`);
const NO_ACCOUNT = /Account: I can't find an account matching "Contoso Bank"/;
/** What a "no access" answer must not carry: any field of the matrix's deals. */
const DEAL_FIELDS = /Alex Wilber|Adele Vance|Azure migration|Contoso Bank|To move|To close|Complex|Scoping|\$[\d,]{5,}|Prospect|Closed won/;
/** Any refusal: an "ok" outcome must match none of these. */
const ANY_REFUSAL = /Only .*(can|decide)|You asked for this approval|nothing was changed|You don't have access|I can't find/i;

type Visibility = 'tenant' | 'team';
type Expect = typeof OK | RegExp;
type Act = { say: string; channel?: boolean } | { press: string; data: Record<string, unknown> };
interface Row {
  what: string;
  act: Act;
  /** One outcome per role; a role left out is "ok". */
  expect: Partial<Record<Role, Expect>>;
}

const FORGED = { personId: USERS.alex.aadObjectId, ownerId: USERS.alex.aadObjectId, userId: USERS.alex.aadObjectId, from: USERS.alex.aadObjectId, tenantId: TENANT, level: 'L1', isAdmin: true };
const ownerOnly = (id: string): Row['expect'] => ({ stranger: NOT_OWNER(id), member: NOT_OWNER(id), approver: NOT_OWNER(id), manager: NOT_OWNER(id), admin: NOT_OWNER(id) });
const teamChangers = (id: string): Row['expect'] => ({ stranger: NOT_TEAM(id), member: NOT_TEAM(id), approver: NOT_TEAM(id) });
const adminOnly: Row['expect'] = { stranger: ADMIN_ONLY, member: ADMIN_ONLY, approver: ADMIN_ONLY, manager: ADMIN_ONLY, owner: ADMIN_ONLY };

/**
 * D-1001 Alex's open deal (Adele on its team); D-1002 to move; D-1003 to close; D-1004 complex, for approval; D-1005 won,
 * for CSAT; D-1006 to reassign. The last row takes all of Alex's deals from him: nothing after it may need them.
 */
const MATRIX: Row[] = [
  // ---- reading: anyone in the tenant (DEAL_VISIBILITY=tenant), or the deal's readers (team: see TEAM_READERS) ----
  { what: 'deal <id>', act: { say: 'deal D-1001' }, expect: {} },
  { what: 'team <id>', act: { say: 'team D-1001' }, expect: {} },
  { what: 'alerts <id> (delivery status)', act: { say: 'alerts D-1001' }, expect: {} },
  { what: 'approval <id> (the trail)', act: { say: 'approval D-1004' }, expect: {} },
  { what: 'history <id>', act: { say: 'history D-1001' }, expect: {} },
  { what: 'sync <id> (CRM sync status)', act: { say: 'sync D-1001' }, expect: {} },
  { what: 'summary <id> (issue 21)', act: { say: 'summary D-1001' }, expect: {} },
  { what: 'card history.page', act: { press: 'history.page', data: { dealId: 'D-1001', end: 1 } }, expect: {} },
  { what: 'card approval.page', act: { press: 'approval.page', data: { dealId: 'D-1004', end: 1 } }, expect: {} },
  { what: 'account <name>', act: { say: 'account Contoso Bank' }, expect: {} },
  { what: 'my deals / quota / my team / digest / stale / following (own views)', act: { say: 'my deals' }, expect: {} },
  { what: 'quota', act: { say: 'quota' }, expect: {} },
  { what: 'my team', act: { say: 'my team' }, expect: {} },
  { what: 'digest', act: { say: 'digest' }, expect: {} },
  { what: 'stale', act: { say: 'stale' }, expect: {} },
  { what: 'card deal.show', act: { press: 'deal.show', data: { dealId: 'D-1001' } }, expect: {} },
  { what: 'card deal.refresh', act: { press: 'deal.refresh', data: { dealId: 'D-1001' } }, expect: {} },
  { what: 'card approval.refresh', act: { press: 'approval.refresh', data: { dealId: 'D-1004' } }, expect: {} },
  // ---- changing a deal: its owner only ----
  { what: 'set <id> next step', act: { say: 'set D-1001 next step Call the CIO' }, expect: ownerOnly('D-1001') },
  { what: 'card deal.update (edit form)', act: { press: 'deal.update', data: { dealId: 'D-1001', ...contosoForm, nextStep: 'Forged step' } }, expect: ownerOnly('D-1001') },
  { what: 'card deal.advance', act: { press: 'deal.advance', data: { dealId: 'D-1002' } }, expect: ownerOnly('D-1002') },
  { what: 'move <id> to qualify', act: { say: 'move D-1002 to qualify' }, expect: ownerOnly('D-1002') },
  { what: 'card deal.move (close lost with a reason)', act: { press: 'deal.move', data: { dealId: 'D-1003', target: 'lost', note: 'Budget cut' } }, expect: ownerOnly('D-1003') },
  { what: 'close <id> lost <reason>', act: { say: 'close D-1003 lost No budget' }, expect: ownerOnly('D-1003') },
  { what: 'request approval <id>', act: { say: 'request approval D-1004 please' }, expect: ownerOnly('D-1004') },
  // Issue 21: a proposal's Apply is a change like any other (whoever's card it was, the presser is the actor).
  { what: 'card proposal.apply (a proposal\'s ticked next step)', act: { press: 'proposal.apply', data: { proposalId: '5e9b03bb-5141-4447-aae3-b6c406aad0dc', dealId: 'D-1001', 'on.nextStep': 'true', 'in.nextStep': 'Matrix step' } }, expect: ownerOnly('D-1001') },
  { what: 'card approval.request (the gate card\'s offer, at a final value)', act: { press: 'approval.request', data: { dealId: 'D-1004', value: '7m' } }, expect: ownerOnly('D-1004') },
  // ---- deal team: owner, owner's manager, admin ----
  { what: 'add <person> to <id>', act: { say: 'add megan smith to D-1001 as specialist' }, expect: teamChangers('D-1001') },
  { what: 'card team.add', act: { press: 'team.add', data: { dealId: 'D-1001', person: 'Megan Smith', role: 'Specialist' } }, expect: teamChangers('D-1001') },
  { what: 'card command.run (add to the deal team: the typed command a choice card carries)', act: { press: 'command.run', data: { command: { name: 'addMember', person: `id:${USERS.megan2.aadObjectId}`, ref: 'D-1001', role: 'Specialist' } } }, expect: teamChangers('D-1001') },
  { what: 'card team.remove', act: { press: 'team.remove', data: { dealId: 'D-1001', personId: USERS.megan2.aadObjectId } }, expect: teamChangers('D-1001') },
  { what: 'remove <person> from <id>', act: { say: 'remove megan smith from D-1001' }, expect: teamChangers('D-1001') },
  // ---- anyone, for themself (a mute is kept with the person: no deal is written, see isReadOrSelfOnly) ----
  { what: 'mute <id>', act: { say: 'mute D-1001' }, expect: {} },
  { what: 'card deal.mute', act: { press: 'deal.mute', data: { dealId: 'D-1001' } }, expect: {} },
  { what: 'unmute <id>', act: { say: 'unmute D-1001' }, expect: {} },
  // ---- following a deal into a channel: owner, deal team, owner's manager, admin (in both settings) ----
  { what: 'follow <id> (in a channel)', act: { say: 'follow D-1001', channel: true }, expect: { stranger: NOT_FOLLOWER('D-1001'), approver: NOT_FOLLOWER('D-1001') } },
  // ---- reassigning to the approver D-1004's open round still needs (level 1, Isaiah alone): refused even to those who may
  // reassign, for the round could never finish; anyone else is told only that they may not reassign (issue 17) ----
  { what: 'reassign <id> to an approver the open round needs', act: { say: 'reassign D-1004 to Isaiah Langer' }, expect: { ...reassigners('D-1004'), manager: NOT_REASSIGN_TO_APPROVER, admin: NOT_REASSIGN_TO_APPROVER } },
  // ---- approvals: the current level's approvers decide; admins set up ----
  { what: 'card approval.decide (approve level 1)', act: { press: 'approval.decide', data: { dealId: 'D-1004', round: 1, decision: 'approved' } }, expect: { stranger: NOT_APPROVER, member: NOT_APPROVER, manager: NOT_APPROVER, admin: NOT_APPROVER, owner: NOT_APPROVER } },
  { what: 'approvals here', act: { say: 'approvals here', channel: true }, expect: adminOnly },
  { what: 'set approvers', act: { say: 'set approvers 1 isaiah langer any' }, expect: adminOnly },
  // ---- quota and managers ----
  { what: 'set quota <person>', act: { say: 'set quota Alex Wilber pg1 1m pg2 2m' }, expect: { stranger: NOT_QUOTA, member: NOT_QUOTA, approver: NOT_QUOTA, owner: NOT_QUOTA } },
  { what: 'set manager', act: { say: 'set manager Alex Wilber to Megan Bowen' }, expect: adminOnly },
  // ---- after the win: CSAT by the owner; recovery by owner, manager, team ----
  { what: 'card csat.record (a low score)', act: { press: 'csat.record', data: { dealId: 'D-1005', score: '1', conditionsMet: 'no', comment: 'Late' } }, expect: ownerOnly('D-1005') },
  { what: 'card plan.save', act: { press: 'plan.save', data: { dealId: 'D-1005', kickoff: '2026-12-01', plannedEnd: '2027-03-01', milestones: '' } }, expect: ownerOnly('D-1005') },
  { what: 'milestone <id> <name> done', act: { say: 'milestone D-1005 Go-live done' }, expect: ownerOnly('D-1005') },
  // Closing D-1005 won scheduled follow-up F1 (its delivery plan); snoozing it is the owner's, like recording.
  { what: 'card csat.snooze', act: { press: 'csat.snooze', data: { dealId: 'D-1005', followUpId: 'F1' } }, expect: ownerOnly('D-1005') },
  { what: 'card csat.recoveryForm', act: { press: 'csat.recoveryForm', data: { dealId: 'D-1005', csatId: 'C1' } }, expect: { stranger: NOT_RECOVERY('D-1005'), approver: NOT_RECOVERY('D-1005'), admin: NOT_RECOVERY('D-1005') } },
  { what: 'card csat.recovery', act: { press: 'csat.recovery', data: { dealId: 'D-1005', csatId: 'C1', nextStep: 'Call the sponsor', owner: 'Adele Vance' } }, expect: { stranger: NOT_RECOVERY('D-1005'), approver: NOT_RECOVERY('D-1005'), admin: NOT_RECOVERY('D-1005') } },
  // ---- the nudge card's fixes: the owner only ----
  { what: 'card nudge.push', act: { press: 'nudge.push', data: { dealId: 'D-1001', deals: 'D-1001' } }, expect: ownerOnly('D-1001') },
  { what: 'card nudge.snooze', act: { press: 'nudge.snooze', data: { dealId: 'D-1001', deals: 'D-1001' } }, expect: ownerOnly('D-1001') },
  { what: 'card nudge.closeLost', act: { press: 'nudge.closeLost', data: { dealId: 'D-1001', deals: 'D-1001' } }, expect: ownerOnly('D-1001') },
  { what: 'card nudge.stage', act: { press: 'nudge.stage', data: { dealId: 'D-1001', deals: 'D-1001' } }, expect: ownerOnly('D-1001') },
  // ---- views and forms anyone may open (what they then submit is checked above) ----
  { what: 'card help.show', act: { press: 'help.show', data: {} }, expect: {} },
  { what: 'card proposal.cancel (changes nothing)', act: { press: 'proposal.cancel', data: { proposalId: '5e9b03bb-5141-4447-aae3-b6c406aad0dc' } }, expect: {} },
  { what: 'card pipeline.show (one\'s own)', act: { press: 'pipeline.show', data: {} }, expect: {} },
  { what: 'card deal.newForm', act: { press: 'deal.newForm', data: {} }, expect: {} },
  { what: 'card deal.edit (opens the form; saving is owner-only, above)', act: { press: 'deal.edit', data: { dealId: 'D-1001' } }, expect: {} },
  { what: 'manager <person>', act: { say: 'manager Alex Wilber' }, expect: {} },
  { what: 'following (in a channel)', act: { say: 'following', channel: true }, expect: {} },
  { what: 'follow account <name> (in a channel)', act: { say: 'follow account Contoso Bank', channel: true }, expect: {} },
  { what: 'unfollow account <name> (in a channel)', act: { say: 'unfollow account Contoso Bank', channel: true }, expect: {} },
  { what: 'alerts off / on (for oneself)', act: { say: 'alerts on' }, expect: {} },
  { what: 'approvers (who approves at each level)', act: { say: 'approvers' }, expect: {} },
  { what: 'plan <id> (the delivery plan card)', act: { say: 'plan D-1005' }, expect: {} },
  { what: 'csat <id> (the CSAT card)', act: { say: 'csat D-1005' }, expect: {} },
  { what: 'card deal.create (a new deal of one\'s own)', act: { press: 'deal.create', data: { ...contosoForm, title: 'Matrix create' } }, expect: {} },
  // ---- moves that need a gate card first: the owner gets the gate, nobody else gets to it ----
  { what: 'card deal.closeWon', act: { press: 'deal.closeWon', data: { dealId: 'D-1002' } }, expect: ownerOnly('D-1002') },
  { what: 'card deal.closeLost', act: { press: 'deal.closeLost', data: { dealId: 'D-1002' } }, expect: ownerOnly('D-1002') },
  // ---- a command from a card button (the typed Command) runs as the presser, authorised as if typed ----
  { what: 'card command.run (set a field)', act: { press: 'command.run', data: { command: { name: 'set', ref: 'D-1001', field: 'probability', value: '60' } } }, expect: ownerOnly('D-1001') },
  { what: 'card command.run (the approval trail: a read)', act: { press: 'command.run', data: { command: { name: 'approvalTrail', ref: 'D-1004' } } }, expect: {} },
  { what: 'card command.run (unmute: for oneself)', act: { press: 'command.run', data: { command: { name: 'mute', ref: 'D-1001', muted: false } } }, expect: {} },
  // Cards posted before buttons were typed carry the command as text: read by the parser, authorised the same.
  { what: 'card command.run (legacy text form: set a field)', act: { press: 'command.run', data: { command: 'set D-1001 probability 55' } }, expect: ownerOnly('D-1001') },
  // ---- when an SE leaves: the owner's manager or an admin (the manager's move runs first; the admin finds it done) ----
  { what: 'reassign <id> to <person>', act: { say: 'reassign D-1006 to Megan Smith' }, expect: reassigners('D-1006') },
  { what: 'reassign all deals of <person> to <person> (last: Alex owns nothing after it)', act: { say: 'reassign all deals of Alex Wilber to Megan Smith' }, expect: reassigners("Alex Wilber's deals") },
];

/**
 * Under DEAL_VISIBILITY=team, who may read each deal: its owner, its team (Adele on D-1001 and D-1005), the
 * owner's manager, its approvers (Isaiah, and Lynne, at D-1004's levels) and the admin.
 */
const TEAM_READERS: Record<string, Role[]> = {
  'D-1001': ['owner', 'member', 'manager', 'admin'],
  'D-1002': ['owner', 'manager', 'admin'],
  'D-1003': ['owner', 'manager', 'admin'],
  'D-1004': ['owner', 'approver', 'manager', 'admin'],
  'D-1005': ['owner', 'member', 'manager', 'admin'],
  'D-1006': ['owner', 'manager', 'admin'],
};

/** The deal a row names, if any (in its command or card data). */
const dealOf = (row: Row): string | undefined => /D-100\d/.exec(JSON.stringify(row.act))?.[0];

/**
 * A row's outcomes under one setting. Under `team` a role that may not read the row's deal is told only that it
 * has no access, whatever the row does; `account <name>` finds no account for someone who may read none of its deals.
 */
function expectationsFor(row: Row, visibility: Visibility): Row['expect'] {
  if (visibility === 'tenant') return row.expect;
  const deal = dealOf(row);
  const expect = { ...row.expect };
  for (const role of ROLE_ORDER) {
    if (deal && !TEAM_READERS[deal]!.includes(role)) expect[role] = NO_ACCESS(deal);
    if (row.what === 'account <name>' && role === 'stranger') expect[role] = NO_ACCOUNT;
  }
  return expect;
}

for (const visibility of ['tenant', 'team'] as const) describe(`authorization matrix, DEAL_VISIBILITY=${visibility}: every command and card verb × every role (issue 8, item 3; issue 14, item 3)`, function () {
  this.timeout(120_000);
  // Alerts wait an hour: nothing changes the store in the background while refusals are checked against it.
  const h = new DealDeskHarness({ ADMINS: USERS.lynne.aadObjectId, ALERT_COALESCE_MS: '3600000', DEAL_VISIBILITY: visibility });

  /**
   * What a refusal must leave untouched: deals, people, follows, settings (not conversations, jobs, deliveries, nor the
   * send budget's membership, which the instance renews on its own every few seconds).
   */
  async function digest(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const { id } of CONTAINERS) {
      if (['conversations-v2', 'jobs-v2', 'deliveries-v2'].includes(id)) continue;
      const { resources } = await h.testStore.database.container(id).items.readAll().fetchAll();
      out[id] = createHash('sha256').update(resources.filter((d) => d.type !== 'sendBudget').map(({ _ts, _etag, _rid, _self, _attachments, ...d }) => JSON.stringify(d)).sort().join('\n')).digest('hex').slice(0, 16);
    }
    return out;
  }
  /** The store once background work of the previous rows (escalations, notices) has finished. */
  async function settled(): Promise<Record<string, string>> {
    let last = await digest();
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 60));
      const now = await digest();
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
    return last;
  }
  const rev = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal.rev;
  /** Every deal document's etag, which any write of it changes. */
  async function dealVersions(): Promise<Map<string, string>> {
    const { resources } = await h.testStore.database.container('deals-v2').items.readAll().fetchAll();
    return new Map(resources.map((d) => [String(d.id), String(d._etag)]));
  }

  async function run(act: Act, as: UserKey): Promise<string> {
    if ('say' in act) {
      const said = act.channel ? await h.sayInChannel(act.say, { as }) : await h.say(act.say, { as });
      assert.equal(said.status, 200);
      return [...said.texts, ...said.cards.map(cardText)].join('\n');
    }
    // The nudge fixes carry the revision the card showed: the deal's current one.
    const data: Record<string, unknown> = { ...act.data, ...FORGED };
    if (typeof data.dealId === 'string') data.rev = await rev(data.dealId);
    const pressed = await h.press(act.press, data, { as });
    assert.equal(pressed.status, 200);
    return [pressed.card ? cardText(pressed.card) : '', typeof pressed.message === 'string' ? pressed.message : JSON.stringify(pressed.body ?? '')].join('\n');
  }

  before(async function () {
    this.timeout(120_000);
    await h.start();
    for (const as of [...Object.values(ROLES), 'megan2' as const]) await h.say('help', { as });
    await h.store.people.upsert({ tenantId: TENANT, id: USERS.alex.aadObjectId, name: USERS.alex.name, managerId: USERS.megan.aadObjectId });
    const create = (extra: Record<string, unknown>) => h.press('deal.create', { ...contosoForm, serviceLines: 'Consulting', value: '400k', ...extra });
    await create({}); // D-1001
    await create({ title: 'To move' }); // D-1002
    await create({ title: 'To close' }); // D-1003
    await create({ title: 'Complex', value: '2,000,000' }); // D-1004
    await create({ title: 'Won', value: '300k' }); // D-1005
    await create({ title: 'To reassign' }); // D-1006
    assert.match(await run({ say: 'add adele vance to D-1001 as architect' }, 'alex'), /Adele Vance/);
    assert.match(await run({ say: 'add adele vance to D-1005 as architect' }, 'alex'), /Adele Vance/);
    await h.sayInChannel('approvals here', { as: 'lynne' });
    await h.say('set approvers 1 isaiah langer any', { as: 'lynne' });
    await h.say('set approvers 2 lynne robbins any', { as: 'lynne' });
    assert.match(await run({ say: 'request approval D-1004 needed' }, 'alex'), /approv/i);
    // D-1005 won: through the gate with all evidence.
    const evidence = { bdm: 'Dana', tdm: 'Wei', budget: 'yes', solutionOutline: 'outline', proposalRef: 'SOW-1', finalValue: '300k' };
    const won = await run({ press: 'deal.move', data: { dealId: 'D-1005', target: 'won', ...evidence } }, 'alex');
    assert.match(won, /Closed won/, won);
  });
  after(() => h.stop());

  for (const base of MATRIX) {
    const row = { ...base, expect: expectationsFor(base, visibility) };
    describe(row.what, () => {
      for (const role of orderOf(row)) {
        const expected = row.expect[role] ?? OK;
        it(`${role} (${ROLES[role]}): ${expected === OK ? 'allowed' : 'refused'}`, async () => {
          const guarded = isReadOrSelfOnly(row);
          const before = expected === OK && !guarded ? undefined : await settled();
          const deals = guarded ? await dealVersions() : undefined;
          const answer = await run(row.act, ROLES[role]);
          if (deals) {
            const now = await dealVersions();
            const written = [...deals].filter(([id, etag]) => now.get(id) !== etag).map(([id]) => id);
            assert.deepEqual(written, [], `${row.what} as ${role}: a read or self-only verb wrote a deal`);
          }
          if (expected === OK) {
            assert.doesNotMatch(answer, ANY_REFUSAL, `${row.what} as ${role}: ${answer.slice(0, 300)}`);
          } else {
            assert.match(answer, expected, `${row.what} as ${role}: ${answer.slice(0, 300)}`);
            if (String(expected).includes('have access')) assert.doesNotMatch(answer, DEAL_FIELDS, `${row.what} as ${role}: a refused read shows the deal`);
            assert.deepEqual(await digest(), before, `${row.what} as ${role}: a refusal changed the store`);
          }
        });
      }
    });
  }
});
