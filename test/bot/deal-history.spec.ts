import assert from 'node:assert/strict';
import { MOST_IN_DEAL } from '../../src/domain/deal-archive';
import { cardPress } from '../support/activities';
import { button, buttons, cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { assertTeamsReady } from '../cards/card-check';
import { TENANT, contosoForm } from './deal-fixtures';
import { MAX_LOGICAL_PARTITION_BYTES } from '../../src/local/partition-size-limit';
import { parseCommand } from '../../src/chat/parse-command';

/** The most a deal document may weigh after any number of notes (its window of entries, each note up to 1,000 characters). */
const DEAL_DOCUMENT_BOUND = 120 * 1024;
const NOTES = 2_200;

/** Note n, 1,000 characters long (the longest a note may be), numbered so the order can be read back. */
const noteText = (n: number) => `Note ${String(n).padStart(4, '0')}: ${'Call with the CIO about the migration waves and the budget. '.repeat(20)}`.slice(0, 1000);
const numberOf = (line: string) => /noted: Note (\d{4}):/.exec(line)?.[1];

/**
 * Issue 14, item 7: every change used to append to the deal's own document, so 2,200 notes made one 2.57 MB
 * item, which Azure Cosmos DB refuses (the embedded store now refuses it too). Through /api/messages: the deal
 * document stays small however many notes are logged, and `history <deal>` pages through every one of them.
 */
describe('a deal\'s whole history: 2,200 notes, a small document, every entry paged through (through /api/messages)', function () {
  this.timeout(120_000);
  const h = new DealDeskHarness();

  /** "Log on deal" on a Teams message, submitted from its dialog (composeExtension/submitAction): the note goes on D-1001. */
  const logOnDeal = (text: string) => {
    const activity = cardPress('x', {}, { serviceUrl: h.connector.url });
    activity.name = 'composeExtension/submitAction';
    delete activity.replyToId;
    activity.channelData = { ...activity.channelData, source: { name: 'message' } };
    activity.value = { commandId: 'logOnDeal', commandContext: 'message', messagePayload: { body: { contentType: 'html', content: '<p>x</p>' } }, data: { dd: 1, text, dealId: 'D-1001' } };
    return h.post(activity);
  };
  const dealBytes = async () => {
    const { resource } = await h.testStore.database.container('deals-v2').item('D-1001', [TENANT, 'D-1001']).read();
    return Buffer.byteLength(JSON.stringify(resource));
  };
  /** Every note number the history card shows, following `Older` from the card given until the first entry. */
  async function pageOlder(card: Record<string, any>): Promise<{ numbers: string[]; lines: string[]; presses: number; last: Record<string, any> }> {
    const numbers: string[] = [];
    const lines: string[] = [];
    let presses = 0;
    for (;;) {
      assertTeamsReady(card, 'history');
      const shown = cardText(card).split('\n').filter((l) => / · Alex Wilber: /.test(l));
      lines.push(...shown);
      numbers.push(...shown.map((l) => numberOf(l) ?? l));
      const older = buttons(card).find((b) => b.title === 'Older');
      if (!older) return { numbers, lines, presses, last: card };
      const pressed = await h.press(older.verb, older.data);
      assert.equal(pressed.status, 200);
      card = pressed.card!;
      presses++;
    }
  }

  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001 (Alex)
  });
  after(() => h.stop());

  it(`${NOTES} notes of 1,000 characters: each is confirmed, and the deal document stays under ${DEAL_DOCUMENT_BOUND / 1024} KB`, async () => {
    const started = Date.now();
    let largest = 0;
    for (let n = 1; n <= NOTES; n++) {
      const { status, body } = await logOnDeal(noteText(n));
      assert.equal(status, 200);
      assert.match(String(body?.task?.value), /Done: logged on D-1001/, `note ${n}: ${JSON.stringify(body).slice(0, 300)}`);
      if (n % 100 === 0) {
        largest = Math.max(largest, await dealBytes());
        assert.ok(largest < DEAL_DOCUMENT_BOUND, `after ${n} notes the deal document is ${largest} bytes`);
      }
    }
    const { deal } = (await h.store.deals.get(TENANT, 'D-1001'))!;
    assert.equal(deal.archived.history + deal.history.length, NOTES + 1);
    assert.ok(deal.history.length <= MOST_IN_DEAL, `${deal.history.length} entries kept`);
    assert.ok((await dealBytes()) < DEAL_DOCUMENT_BOUND);
    console.log(`      ${NOTES} notes in ${Date.now() - started} ms; largest deal document ${largest} bytes`);
  });

  it('`history D-1001` pages back through all 2,201 entries, newest first: none lost, none twice, whole notes', async () => {
    const first = (await h.say('history D-1001')).cards[0];
    assert.match(cardText(first), /^History of D-1001 · Azure migration assessment$/m);
    assert.match(cardText(first), /^2,192–2,201 of 2,201, newest first$/m);
    assert.deepEqual(buttons(first).map((b) => b.title), ['Older', 'Open deal']);
    const started = Date.now();
    const { numbers, lines, presses, last } = await pageOlder(first);
    // Newest first: notes 2200 … 0001, then the deal's creation.
    assert.equal(numbers.length, NOTES + 1);
    assert.deepEqual(numbers.slice(0, -1), Array.from({ length: NOTES }, (_, i) => String(NOTES - i).padStart(4, '0')));
    assert.match(lines.at(-1)!, /created the deal$/);
    assert.equal(presses, 220);
    // A page shows each note whole (1,000 characters), however old.
    assert.ok(lines.slice(0, -1).every((l) => l.endsWith(noteText(Number(numberOf(l))).slice(-40))), 'whole notes');
    assert.match(cardText(last), /^1–1 of 2,201, newest first$/m);
    console.log(`      ${presses} pages in ${Date.now() - started} ms`);
  });

  it('Newer pages forward again from the oldest page, to the newest (which shows what arrived since)', async () => {
    const oldest = (await h.press('history.page', { dealId: 'D-1001', end: 1 })).card!;
    assert.deepEqual(buttons(oldest).map((b) => b.title), ['Newer', 'Open deal']);
    const second = (await h.press('history.page', button(oldest, 'Newer').data)).card!;
    assert.match(cardText(second), /^2–11 of 2,201, newest first$/m);
    await logOnDeal(noteText(NOTES + 1));
    const nearlyNewest = (await h.press('history.page', { dealId: 'D-1001', end: 2_195 })).card!;
    assert.deepEqual(buttons(nearlyNewest).map((b) => b.title), ['Newer', 'Older', 'Open deal']);
    const newest = (await h.press('history.page', button(nearlyNewest, 'Newer').data)).card!;
    assert.match(cardText(newest), /^2,193–2,202 of 2,202, newest first$/m);
    assert.equal(numberOf(cardText(newest).split('\n').find((l) => / · Alex Wilber: /.test(l))!), String(NOTES + 1).padStart(4, '0'));
  });
});

describe('`history <deal>`: forgiving, in both languages, in help (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support renewal', account: 'Fabrikam' }); // D-1002
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support uplift', account: 'Fabrikam' }); // D-1003
    await h.say('set D-1001 probability 55');
    await h.say('move D-1001 to qualify BDM confirmed');
  });
  after(() => h.stop());

  const historyOf = async (text: string, locale?: string) => {
    const said = await h.say(text, { locale });
    assert.equal(said.status, 200);
    return said.cards[0];
  };

  for (const typed of ['history D-1001', 'HISTORY d-1001', '  history   1001 ', 'history of D-1001', 'show history for azure migration', 'D-1001 history', 'changes D-1001', '历史 D-1001']) {
    it(`"${typed}" shows D-1001's history, newest first`, async () => {
      const lines = cardText(await historyOf(typed)).split('\n');
      assert.equal(lines[0], 'History of D-1001 · Azure migration assessment');
      assert.equal(lines[1], '1–3 of 3, newest first');
      assert.match(lines[2], /Alex Wilber: moved Prospect → Qualify \(BDM confirmed\)$/);
      assert.match(lines[3], /Alex Wilber: changed Probability \(%\): 40% → 55%$/);
      assert.match(lines[4], /Alex Wilber: created the deal$/);
    });
  }

  it('speaks Chinese to a zh-CN user', async () => {
    const text = cardText(await historyOf('history D-1001', 'zh-CN'));
    assert.match(text, /D-1001 · Azure migration assessment 的变更历史/);
    assert.match(text, /第 1–3 条，共 3 条，最新的在前/);
  });

  it('without a deal, says how to use it; a fragment matching several deals offers them; an unknown deal says so', async () => {
    assert.match(cardText(await historyOf('history')), /Usage: `history <deal>`/);
    const choose = await historyOf('history premier support');
    assert.deepEqual(buttons(choose).filter((b) => b.data.command).map((b) => b.data.command), ['history D-1002', 'history D-1003'].map(parseCommand));
    const said = await h.say('history D-9999');
    assert.match([...said.texts, ...said.cards.map(cardText)].join('\n'), /can't find a deal matching/);
  });

  it('help lists it, in both languages', async () => {
    assert.ok(cardText(await historyOf('help')).includes('history <deal>'));
    assert.ok(cardText(await historyOf('help', 'zh-CN')).includes('历史 <商机>'));
  });

  it('a forged or broken page button is refused with a clear message, never an error page', async () => {
    for (const data of [{ dealId: 'D-1001', end: 'x' }, { dealId: '<b>', end: 1 }, { dealId: 'D-1001', end: -5 }]) {
      const pressed = await h.press('history.page', data);
      assert.equal(pressed.status, 200);
      assert.match(String(pressed.message), /That card is out of date or incomplete/, JSON.stringify(pressed.body));
    }
    // A page past the end is the newest page.
    assert.match(cardText((await h.press('history.page', { dealId: 'D-1001', end: 1e9 })).card!), /^1–3 of 3, newest first$/m);
  });
});

describe('deals written before archiving, and a deal the store refuses (through /api/messages)', function () {
  this.timeout(60_000);
  const h = new DealDeskHarness();
  const deals = () => h.testStore.database.container('deals-v2');
  /** The stored document of a deal as DealDesk wrote it before issue 14: no `archived`, everything inline. */
  async function legacy(id: string, edit: (doc: Record<string, any>) => void): Promise<Record<string, any>> {
    const { resource } = await deals().item(id, [TENANT, id]).read();
    const { _rid, _self, _etag, _attachments, _ts, archived, ...doc } = resource;
    edit(doc);
    await deals().items.upsert(doc);
    return doc;
  }
  const bytes = (doc: unknown) => Buffer.byteLength(JSON.stringify(doc));

  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001
    await h.press('deal.create', { ...contosoForm, title: 'Premier Support renewal' }); // D-1002
  });
  after(() => h.stop());

  it('a 1.9 MB deal from before is archived by its next change; its whole history still reads back', async () => {
    const doc = await legacy('D-1001', (d) => {
      for (let n = 1; n <= 1_800; n++) d.history.push({ at: new Date(Date.parse('2026-11-01T00:00:00Z') + n * 1000).toISOString(), by: d.owner, change: { kind: 'note', text: noteText(n) } });
    });
    assert.ok(bytes(doc) > 1_900_000, String(bytes(doc)));
    const said = await h.say('set D-1001 next step Send the SOW');
    assert.match(cardText(said.cards[0]), /Next step updated/i);
    const { resource } = await deals().item('D-1001', [TENANT, 'D-1001']).read();
    assert.ok(bytes(resource) < DEAL_DOCUMENT_BOUND, String(bytes(resource)));
    assert.equal(resource.archived.history + resource.history.length, 1_802);
    const oldest = (await h.press('history.page', { dealId: 'D-1001', end: 3 })).card!;
    assert.deepEqual(cardText(oldest).split('\n').filter((l) => / · Alex Wilber: /.test(l)).map((l) => numberOf(l) ?? l.replace(/^.* · /, '')), ['0002', '0001', 'Alex Wilber: created the deal']);
    const newest = cardText((await h.say('history D-1001')).cards[0]);
    assert.match(newest, /^1,793–1,802 of 1,802, newest first$/m);
    assert.match(newest, /changed Next step: Scoping workshop with the CIO → Send the SOW$/m);
  });

  it('a deal the store refuses as too large (2 MB): the user is told in words, nothing changes, nothing leaks', async () => {
    // Not reachable through DealDesk's own changes any more: a document written by hand, just under Azure's limit.
    const doc = await legacy('D-1002', (d) => {
      const entry = (n: number, comment: string) => ({ id: `C${n}`, score: 4, conditionsMet: 'yes', comment, by: d.owner, at: '2026-11-20T00:00:00.000Z', low: false });
      d.csat = [];
      let size = bytes(d);
      while (size < 2 * 1024 * 1024 - 3_000) {
        d.csat.push(entry(d.csat.length + 1, 'x'.repeat(900)));
        size += bytes(d.csat.at(-1)) + 1;
      }
      // The last one fills the document to 600 bytes under the limit: the next change (a long next step) tips it over.
      const last = entry(d.csat.length + 1, '');
      d.csat.push({ ...last, comment: 'x'.repeat(2 * 1024 * 1024 - 600 - size - bytes(last) - 1) });
      d.csat.at(-1).comment += 'x'.repeat(2 * 1024 * 1024 - 600 - bytes(d));
    });
    assert.equal(bytes(doc), 2 * 1024 * 1024 - 600);
    const before = await deals().item('D-1002', [TENANT, 'D-1002']).read();
    const said = await h.say(`set D-1002 next step ${'Plan the kickoff with the delivery team. '.repeat(12).trim()}`);
    const text = [...said.texts, ...said.cards.map(cardText)].join('\n');
    assert.match(text, /D-1002 has grown larger than the store can keep, so this change was not saved/);
    assert.doesNotMatch(text, /RequestEntityTooLarge|413|Error:|\bat \w+ \(/);
    assert.equal((await deals().item('D-1002', [TENANT, 'D-1002']).read()).resource._etag, before.resource._etag);
    const zh = await h.say(`set D-1002 next step ${'与交付团队一起安排启动会。'.repeat(30)}`, { locale: 'zh-CN' });
    assert.match([...zh.texts, ...zh.cards.map(cardText)].join('\n'), /D-1002 的数据已超出存储上限/);
  });

  it('a deal whose logical partition is full (Azure: 20 GB, 403/1014): the user is told in words, other deals go on', async () => {
    await h.press('deal.create', { ...contosoForm, title: 'Data platform' }); // D-1003
    await h.press('deal.create', { ...contosoForm, title: 'Security review' }); // D-1004
    // Lowered so that D-1003 fills up with one long change; each deal is a logical partition of its own.
    const stored = await deals().item('D-1003', [TENANT, 'D-1003']).read();
    h.testStore.partitionLimit.set(bytes(stored.resource) + 300);
    try {
      const said = await h.say(`set D-1003 next step ${'Plan the data migration. '.repeat(19).trim()}`);
      const text = [...said.texts, ...said.cards.map(cardText)].join('\n');
      assert.match(text, /D-1003 has reached the most the store can keep for one deal \(20 GB with its archived history\), so this change was not saved/);
      assert.doesNotMatch(text, /Forbidden|1014|403|Error:|\bat \w+ \(/);
      assert.equal((await deals().item('D-1003', [TENANT, 'D-1003']).read()).resource._etag, stored.resource._etag, 'nothing saved');
      const zh = await h.say(`set D-1003 next step ${'与平台团队一起规划数据迁移。'.repeat(30)}`, { locale: 'zh-CN' });
      assert.match([...zh.texts, ...zh.cards.map(cardText)].join('\n'), /D-1003 已达到存储为单个商机保留的上限/);
      // The tenant's other deals are other partitions: a change to D-1004 is saved.
      const other = await h.say('set D-1004 next step Send the SOW');
      assert.match(cardText(other.cards[0]), /Next step updated/i);
      assert.match((await h.store.deals.get(TENANT, 'D-1004'))!.deal.nextStep, /Send the SOW/);
    } finally {
      h.testStore.partitionLimit.set(MAX_LOGICAL_PARTITION_BYTES);
    }
  });
});
