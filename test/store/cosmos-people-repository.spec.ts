import assert from 'node:assert/strict';
import type { PeopleRepository, PersonRecord } from '../../src/ports/people-repository.port';
import { startTestStore, type TestStore } from '../support/embedded-store';

const T0 = '2026-03-02T09:00:00.000Z';
const T1 = '2026-03-02T10:00:00.000Z';

describe('CosmosPeopleRepository (embedded Cosmos server)', () => {
  let t: TestStore;
  let people: PeopleRepository;
  let n = 0;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    t = await startTestStore();
    people = t.store.people;
  });
  after(async () => t?.stop());
  beforeEach(() => {
    n += 1;
    tenantA = `tenant-a-${n}`;
    tenantB = `tenant-b-${n}`;
  });

  const alex = (tenantId: string): PersonRecord => ({
    tenantId,
    id: '6f1c2a9e-0000-4000-8000-00000000a1e5',
    name: 'Alex Wilber',
    email: 'AlexW@contoso.com',
    userId: '29:1alex',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    locale: 'en-US',
    updatedAt: T0,
  });

  describe('upsert and get', () => {
    it('creates a person and reads it back as given, with the AAD object id as document id', async () => {
      await people.upsert(alex(tenantA));
      assert.deepEqual(await people.get(tenantA, alex(tenantA).id), alex(tenantA));
      const { resource } = await t.database.container('people-v2').item(alex(tenantA).id, [tenantA, alex(tenantA).id]).read();
      assert.equal(resource?.type, 'person');
    });

    it('keeps the fields an update does not give', async () => {
      await people.upsert({ ...alex(tenantA), managerId: 'aad-boss' });
      await people.setAlertsOff(tenantA, alex(tenantA).id, true);
      // A roster sync knows only name and e-mail; an undefined field counts as not given.
      await people.upsert({ tenantId: tenantA, id: alex(tenantA).id, name: 'Alex W.', email: 'alex@contoso.com', locale: undefined, updatedAt: T1 });
      assert.deepEqual(await people.get(tenantA, alex(tenantA).id), {
        ...alex(tenantA),
        managerId: 'aad-boss',
        alertsOff: true,
        name: 'Alex W.',
        email: 'alex@contoso.com',
        updatedAt: T1,
      });
    });

    it('sets updatedAt when the update gives none', async () => {
      const before = new Date().toISOString();
      await people.upsert({ tenantId: tenantA, id: 'aad-new', name: 'New Person' });
      const read = await people.get(tenantA, 'aad-new');
      assert.ok(read && read.updatedAt >= before, read?.updatedAt);
    });

    it('keeps every field when several updates of one person race', async () => {
      const id = alex(tenantA).id;
      await Promise.all([
        people.upsert({ tenantId: tenantA, id, name: 'Alex Wilber', email: 'alexw@contoso.com' }),
        people.upsert({ tenantId: tenantA, id, name: 'Alex Wilber', userId: '29:1alex' }),
        people.upsert({ tenantId: tenantA, id, name: 'Alex Wilber', locale: 'zh-CN' }),
        people.upsert({ tenantId: tenantA, id, name: 'Alex Wilber', managerId: 'aad-boss' }),
        people.setAlertsOff(tenantA, id, true),
      ]);
      const read = await people.get(tenantA, id);
      assert.deepEqual(
        { email: read?.email, userId: read?.userId, locale: read?.locale, managerId: read?.managerId, alertsOff: read?.alertsOff },
        { email: 'alexw@contoso.com', userId: '29:1alex', locale: 'zh-CN', managerId: 'aad-boss', alertsOff: true },
      );
    });

    it('keeps ids with characters Cosmos forbids reversible and distinct', async () => {
      const odd = ['29:a/b', 'x?y#z', 'back\\slash', '~tilde', ' spaced '];
      for (const id of odd) await people.upsert({ tenantId: tenantA, id, name: `Person ${id}`, updatedAt: T0 });
      for (const id of odd) assert.deepEqual(await people.get(tenantA, id), { tenantId: tenantA, id, name: `Person ${id}`, updatedAt: T0 });
      assert.equal(await people.get(tenantA, 'tilde'), undefined);
    });

    it('never shows one tenant’s people to another', async () => {
      await people.upsert(alex(tenantA));
      assert.equal(await people.get(tenantB, alex(tenantA).id), undefined);
      await people.upsert({ ...alex(tenantB), name: 'Alex in B' });
      assert.equal((await people.get(tenantA, alex(tenantA).id))?.name, 'Alex Wilber');
      assert.equal((await people.get(tenantB, alex(tenantB).id))?.name, 'Alex in B');
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      await people.upsert(alex(tenantA));
      await people.upsert({ tenantId: tenantA, id: 'aad-megan', name: 'Megan Bowen', email: 'meganb@contoso.com', updatedAt: T0 });
      await people.upsert({ tenantId: tenantA, id: 'aad-adele', name: 'Adele Vance', updatedAt: T0 });
      await people.upsert({ tenantId: tenantA, id: 'aad-alexa', name: 'Alexandra Wilson', email: 'alexandra@contoso.com', updatedAt: T0 });
      await people.upsert({ tenantId: tenantB, id: 'aad-alex-b', name: 'Alex Other Tenant', email: 'alexw@contoso.com', updatedAt: T0 });
    });
    const names = (found: PersonRecord[]) => found.map((p) => p.name);

    it('finds by a case-insensitive name fragment, ordered by name, in one tenant', async () => {
      assert.deepEqual(names(await people.search(tenantA, 'ALEX', 10)), ['Alex Wilber', 'Alexandra Wilson']);
      assert.deepEqual(names(await people.search(tenantA, ' wil ', 10)), ['Alex Wilber', 'Alexandra Wilson']);
      assert.deepEqual(names(await people.search(tenantB, 'alex', 10)), ['Alex Other Tenant']);
    });

    it('finds by exact e-mail, ignoring case, not by an e-mail fragment', async () => {
      assert.deepEqual(names(await people.search(tenantA, 'MeganB@Contoso.com', 10)), ['Megan Bowen']);
      assert.deepEqual(await people.search(tenantA, 'meganb@contoso', 10), []);
      assert.deepEqual(names(await people.search(tenantB, 'alexw@contoso.com', 10)), ['Alex Other Tenant']);
    });

    it('stops at the limit; a blank query or a limit of 0 finds no one', async () => {
      assert.deepEqual(names(await people.search(tenantA, 'e', 2)), ['Adele Vance', 'Alex Wilber']);
      assert.deepEqual(await people.search(tenantA, 'alex', 0), []);
      assert.deepEqual(await people.search(tenantA, '   ', 10), []);
    });
  });

  describe('reportIdsOf', () => {
    it('lists the people whose manager is any of those given, in one tenant; nobody for nobody', async () => {
      for (const [id, managerId] of [['aad-a', 'aad-m1'], ['aad-b', 'aad-m2'], ['aad-c', 'aad-m3'], ['aad-d', undefined], ['x/y?#', 'aad-m1']] as const) {
        await people.upsert({ tenantId: tenantA, id, name: id, updatedAt: T0 });
        if (managerId) await people.setManager(tenantA, id, managerId);
      }
      await people.upsert({ tenantId: tenantB, id: 'aad-e', name: 'e', updatedAt: T0 });
      await people.setManager(tenantB, 'aad-e', 'aad-m1');
      assert.deepEqual((await people.reportIdsOf(tenantA, ['aad-m1', 'aad-m2'])).sort(), ['aad-a', 'aad-b', 'x/y?#']);
      assert.deepEqual(await people.reportIdsOf(tenantA, []), []);
      assert.deepEqual(await people.reportIdsOf(tenantB, ['aad-m2']), []);
    });
  });

  describe('setAlertsOff', () => {
    it('turns alerts off and on again, keeping everything else', async () => {
      await people.upsert(alex(tenantA));
      await people.setAlertsOff(tenantA, alex(tenantA).id, true);
      const off = await people.get(tenantA, alex(tenantA).id);
      assert.equal(off?.alertsOff, true);
      assert.deepEqual({ ...off, alertsOff: undefined, updatedAt: T0 }, { ...alex(tenantA), alertsOff: undefined });
      await people.setAlertsOff(tenantA, alex(tenantA).id, false);
      assert.equal((await people.get(tenantA, alex(tenantA).id))?.alertsOff, false);
      assert.equal(await people.get(tenantB, alex(tenantA).id), undefined);
    });

    it('remembers "off" for someone not yet known; "on" for them writes nothing', async () => {
      await people.setAlertsOff(tenantA, 'aad-stranger', false);
      assert.equal(await people.get(tenantA, 'aad-stranger'), undefined);
      await people.setAlertsOff(tenantA, 'aad-stranger', true);
      assert.equal((await people.get(tenantA, 'aad-stranger'))?.alertsOff, true);
      // A later upsert gives the real name and keeps the choice.
      await people.upsert({ tenantId: tenantA, id: 'aad-stranger', name: 'Isaiah Langer', updatedAt: T1 });
      assert.deepEqual(await people.get(tenantA, 'aad-stranger'), { tenantId: tenantA, id: 'aad-stranger', name: 'Isaiah Langer', alertsOff: true, updatedAt: T1 });
    });
  });

  describe('mute choices (one small document per person and deal, beside the person)', () => {
    const ALEX = alex('x').id;
    const MEGAN = 'aad-megan';
    const muteDocs = async (tenantId: string) =>
      (await t.database.container('people-v2').items.query({ query: "SELECT * FROM c WHERE c.tenantId = @t AND c.type = 'mute'", parameters: [{ name: '@t', value: tenantId }] }).fetchAll()).resources;

    it('keeps, changes and forgets a choice; reads only the deal and the people asked about', async () => {
      await people.setMuteChoice(tenantA, ALEX, 'D-1001', true, T0);
      await people.setMuteChoice(tenantA, MEGAN, 'D-1001', false, T0);
      await people.setMuteChoice(tenantA, ALEX, 'D-1002', true, T0);
      assert.deepEqual([...(await people.muteChoices(tenantA, 'D-1001', [ALEX, MEGAN, 'aad-adele']))].sort(), [[ALEX, true], [MEGAN, false]]);
      assert.deepEqual([...(await people.muteChoices(tenantA, 'D-1001', [MEGAN]))], [[MEGAN, false]]);
      assert.deepEqual([...(await people.muteChoices(tenantA, 'D-1001', []))], []);
      assert.deepEqual([...(await people.muteChoices(tenantB, 'D-1001', [ALEX, MEGAN]))], [], 'another tenant sees nothing');

      await people.setMuteChoice(tenantA, ALEX, 'D-1001', undefined, T1);
      assert.deepEqual([...(await people.muteChoices(tenantA, 'D-1001', [ALEX]))], []);
      assert.equal((await muteDocs(tenantA)).length, 2, 'a forgotten choice leaves no document');
    });

    it('writes nothing when the choice is already kept, and never touches the person record', async () => {
      await people.upsert(alex(tenantA));
      await people.setMuteChoice(tenantA, ALEX, 'D-1001', true, T0);
      const [first] = await muteDocs(tenantA);
      await people.setMuteChoice(tenantA, ALEX, 'D-1001', true, T1);
      const [again] = await muteDocs(tenantA);
      assert.equal(again._etag, first._etag);
      assert.deepEqual(await people.get(tenantA, ALEX), alex(tenantA));
      assert.equal(typeof first.id, 'string');
      assert.notEqual(first.id, ALEX);
      assert.match(first.id, /^~mute\.[A-Za-z0-9_-]{43}$/, 'fixed length, and never a person record\'s id');
    });

    it('racing choices of one person about one deal settle on one document', async () => {
      await Promise.all(Array.from({ length: 8 }, (_, i) => people.setMuteChoice(tenantA, ALEX, 'D-1001', i % 2 === 0, T0)));
      const docs = await muteDocs(tenantA);
      assert.equal(docs.length, 1);
      await people.setMuteChoice(tenantA, ALEX, 'D-1001', true, T1);
      assert.deepEqual([...(await people.muteChoices(tenantA, 'D-1001', [ALEX]))], [[ALEX, true]]);
    });
  });
});
