import assert from 'node:assert/strict';
import type { Deal } from '../../src/domain/deal';
import { addTeamMember, isTeamMember, parseRole, removeTeamMember, ROLE_MAX, ROLES, TEAM_MAX, type TeamMember } from '../../src/domain/deal-team';
import type { Person } from '../../src/domain/person';
import { ALEX, aDeal, CREATED_AT, domainErrorOf, LATER, MEGAN } from './deal-fixture';

const NESTOR: Person = { id: 'aad-nestor', name: 'Nestor Wilke' };
const LATER_STILL = '2026-11-21T08:30:00.000Z';
const person = (i: number): Person => ({ id: `aad-p${i}`, name: `Person ${i}` });

/** D-1042 with `count` people on its team (Person 1…count, Consultants), written directly. */
const dealWithTeam = (count: number): Deal => ({ ...aDeal(), team: Array.from({ length: count }, (_, i) => ({ person: person(i + 1), role: 'Consultant' })) });

describe('the deal team (src/domain/deal-team.ts)', () => {
  describe('parseRole', () => {
    it('the known roles, in the order the card offers them', () => {
      assert.deepEqual([...ROLES], ['Architect', 'Delivery manager', 'Consultant', 'Support account manager', 'Specialist']);
    });

    for (const [typed, role] of [
      ['architect', 'Architect'],
      ['ARCHITECT', 'Architect'],
      ['delivery manager', 'Delivery manager'],
      ['  Delivery   MANAGER ', 'Delivery manager'],
      ['support account manager', 'Support account manager'],
      ['consultant', 'Consultant'],
      ['specialist', 'Specialist'],
    ] as const) {
      it(`${JSON.stringify(typed)} → the known role ${JSON.stringify(role)}`, () => assert.equal(parseRole(typed), role));
    }

    it('free text is kept as typed (cleaned to one line): "Bid manager", "bid\\nmanager"', () => {
      assert.equal(parseRole('Bid manager'), 'Bid manager');
      assert.equal(parseRole('bid\nmanager'), 'bid manager');
      assert.equal(parseRole('Azure data architect'), 'Azure data architect');
    });

    for (const empty of ['', '   ', undefined, null, '\n\t']) {
      it(`empty (${JSON.stringify(empty)}) → "Specialist"`, () => assert.equal(parseRole(empty), 'Specialist'));
    }

    it(`exactly ${ROLE_MAX} characters is fine`, () => {
      assert.equal(ROLE_MAX, 60);
      assert.equal(parseRole('r'.repeat(60)), 'r'.repeat(60));
    });

    it('61 characters is refused with TEAM.ROLE_INVALID { max: 60 }', () => {
      const error = domainErrorOf(() => parseRole('r'.repeat(61)));
      assert.equal(error.code, 'TEAM.ROLE_INVALID');
      assert.deepEqual(error.params, { max: 60 });
    });

    it('the length is counted after cleaning: 60 characters with spaces around is fine', () => {
      assert.equal(parseRole(`   ${'r'.repeat(60)}   `), 'r'.repeat(60));
    });
  });

  describe('addTeamMember', () => {
    it('adds the member, records a "team added" history entry, bumps rev and updatedAt', () => {
      const deal = aDeal();
      const next = addTeamMember(deal, { person: MEGAN, role: 'Architect' }, ALEX, LATER);
      assert.deepEqual(next.team, [{ person: MEGAN, role: 'Architect' }]);
      assert.deepEqual(next.history, [
        { at: CREATED_AT, by: ALEX, change: { kind: 'created' } },
        { at: LATER, by: ALEX, change: { kind: 'team', action: 'added', person: MEGAN, role: 'Architect' } },
      ]);
      assert.equal(next.rev, deal.rev + 1);
      assert.equal(next.updatedAt, LATER);
      assert.deepEqual(deal.team, [], 'the deal before is not touched');
    });

    it('a second member comes after the first', () => {
      let deal = addTeamMember(aDeal(), { person: MEGAN, role: 'Architect' }, ALEX, LATER);
      deal = addTeamMember(deal, { person: NESTOR, role: 'Delivery manager' }, ALEX, LATER_STILL);
      assert.deepEqual(deal.team, [
        { person: MEGAN, role: 'Architect' },
        { person: NESTOR, role: 'Delivery manager' },
      ]);
    });

    it('the same person with the same role is a no-op: the very same object comes back', () => {
      const deal = addTeamMember(aDeal(), { person: MEGAN, role: 'Architect' }, ALEX, LATER);
      assert.equal(addTeamMember(deal, { person: MEGAN, role: 'Architect' }, ALEX, LATER_STILL), deal);
    });

    it('the same person is recognised by id, whatever the name says now', () => {
      const deal = addTeamMember(aDeal(), { person: MEGAN, role: 'Architect' }, ALEX, LATER);
      assert.equal(addTeamMember(deal, { person: { id: MEGAN.id, name: 'Megan B.' }, role: 'Architect' }, ALEX, LATER_STILL), deal);
    });

    it('the same person with a new role: the role is replaced in place (not added twice) and recorded', () => {
      let deal = addTeamMember(aDeal(), { person: MEGAN, role: 'Architect' }, ALEX, LATER);
      deal = addTeamMember(deal, { person: NESTOR, role: 'Consultant' }, ALEX, LATER);
      const next = addTeamMember(deal, { person: MEGAN, role: 'Delivery manager' }, ALEX, LATER_STILL);
      assert.deepEqual(next.team, [
        { person: MEGAN, role: 'Delivery manager' },
        { person: NESTOR, role: 'Consultant' },
      ]);
      assert.deepEqual(next.history.at(-1), { at: LATER_STILL, by: ALEX, change: { kind: 'team', action: 'added', person: MEGAN, role: 'Delivery manager' } });
      assert.equal(next.rev, deal.rev + 1);
    });

    it(`member number ${TEAM_MAX} is fine`, () => {
      assert.equal(TEAM_MAX, 50);
      assert.equal(addTeamMember(dealWithTeam(49), { person: MEGAN, role: 'Architect' }, ALEX, LATER).team.length, 50);
    });

    it('a 51st is refused with TEAM.FULL { max: 50 }', () => {
      const error = domainErrorOf(() => addTeamMember(dealWithTeam(50), { person: MEGAN, role: 'Architect' }, ALEX, LATER));
      assert.equal(error.code, 'TEAM.FULL');
      assert.deepEqual(error.params, { max: 50 });
    });

    it('with 50 on the team, changing a member’s role still works', () => {
      const next = addTeamMember(dealWithTeam(50), { person: person(7), role: 'Architect' }, ALEX, LATER);
      assert.equal(next.team.length, 50);
      assert.deepEqual(next.team[6], { person: person(7), role: 'Architect' });
    });
  });

  describe('removeTeamMember', () => {
    const withTwo = (): Deal => {
      const deal = addTeamMember(aDeal(), { person: MEGAN, role: 'Architect' }, ALEX, LATER);
      return addTeamMember(deal, { person: NESTOR, role: 'Delivery manager' }, ALEX, LATER);
    };

    it('removes the member by id and records "team removed" with the role they had', () => {
      const deal = withTwo();
      const next = removeTeamMember(deal, MEGAN.id, ALEX, LATER_STILL);
      assert.deepEqual(next.team, [{ person: NESTOR, role: 'Delivery manager' }]);
      assert.deepEqual(next.history.at(-1), { at: LATER_STILL, by: ALEX, change: { kind: 'team', action: 'removed', person: MEGAN, role: 'Architect' } });
      assert.equal(next.rev, deal.rev + 1);
      assert.equal(next.updatedAt, LATER_STILL);
    });

    it('someone not on the team: TEAM.NOT_A_MEMBER { id: "D-1042" }', () => {
      const error = domainErrorOf(() => removeTeamMember(withTwo(), 'aad-nobody', ALEX, LATER_STILL));
      assert.equal(error.code, 'TEAM.NOT_A_MEMBER');
      assert.deepEqual(error.params, { id: 'D-1042' });
    });

    it('an empty team: TEAM.NOT_A_MEMBER', () => {
      assert.equal(domainErrorOf(() => removeTeamMember(aDeal(), MEGAN.id, ALEX, LATER)).code, 'TEAM.NOT_A_MEMBER');
    });

    it('removing twice: the second time TEAM.NOT_A_MEMBER', () => {
      const once = removeTeamMember(withTwo(), MEGAN.id, ALEX, LATER_STILL);
      assert.equal(domainErrorOf(() => removeTeamMember(once, MEGAN.id, ALEX, LATER_STILL)).code, 'TEAM.NOT_A_MEMBER');
    });
  });

  describe('isTeamMember', () => {
    const members: TeamMember[] = [{ person: MEGAN, role: 'Architect' }];

    it('true for a member, by id', () => {
      assert.equal(isTeamMember({ ...aDeal(), team: members }, MEGAN.id), true);
    });

    it('false for someone else, and for the owner who is not on the team', () => {
      assert.equal(isTeamMember({ ...aDeal(), team: members }, NESTOR.id), false);
      assert.equal(isTeamMember({ ...aDeal(), team: members }, ALEX.id), false);
    });

    it('false on an empty team, and on a deal stored before teams existed (no team field)', () => {
      assert.equal(isTeamMember(aDeal(), MEGAN.id), false);
      const { team: _team, ...legacy } = aDeal();
      assert.equal(isTeamMember(legacy as Deal, MEGAN.id), false);
    });

    it('false once removed', () => {
      const deal = removeTeamMember({ ...aDeal(), team: members }, MEGAN.id, ALEX, LATER);
      assert.equal(isTeamMember(deal, MEGAN.id), false);
    });
  });
});
