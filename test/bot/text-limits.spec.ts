import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

/** Whether a string holds half a surrogate pair. */
const hasLoneSurrogate = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** Every string anywhere in a card (texts, button titles, values), for the checks below. */
const stringsOf = (node: unknown): string[] =>
  typeof node === 'string' ? [node] : Array.isArray(node) ? node.flatMap(stringsOf) : node && typeof node === 'object' ? Object.values(node).flatMap(stringsOf) : [];

/** Issue 14, item 8: text is cut by grapheme, and a message too long to read is answered, not cut. */
describe('text and limits are honest, through /api/messages', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('a button title cut at 60 characters never ends in half an emoji, half a flag or half a family', async () => {
    // Each title puts a character of more than one code unit across the button's cut (60 code units, "…" included).
    const titles = { a: `${'a'.repeat(59)}😀 Contoso rollout`, b: `${'b'.repeat(57)}🇨🇳 Contoso rollout`, c: `${'c'.repeat(54)}👩‍👩‍👧 Contoso rollout`, d: `${'d'.repeat(59)}𠀀 Contoso rollout` };
    for (const title of Object.values(titles)) assert.match(cardText((await h.press('deal.create', { ...contosoForm, title })).card!), /Created D-/);
    const choice = (await h.say('deal contoso rollout')).cards[0];
    const shown = stringsOf(choice).filter((s) => /^D-10\d\d · /.test(s));
    assert.equal(shown.length, 4, `the choice of four deals: ${JSON.stringify(choice).slice(0, 300)}`);
    assert.deepEqual(stringsOf(choice).filter(hasLoneSurrogate), [], 'nothing in the card holds half a character');
    const cut = shown.map((s) => s.replace(/^D-10\d\d · /, '').replace(/ · Contoso Bank · Prospect$/, '')).sort();
    // Whole graphemes only: each character that would not fit whole is left out, and the cut is shown.
    assert.deepEqual(cut, [`${'a'.repeat(59)}…`, `${'b'.repeat(57)}…`, `${'c'.repeat(54)}…`, `${'d'.repeat(59)}…`]);
  });

  it('a 5,000-character "set … next step" is answered with the limit and its length, and nothing is stored', async () => {
    const before = (await h.store.deals.get(TENANT, 'D-1001'))!;
    const said = await h.say(`set D-1001 next step ${'x'.repeat(5_000 - 'set D-1001 next step '.length)}`);
    assert.equal(said.status, 200);
    const answer = [...said.texts, ...said.cards.map(cardText)].join('\n');
    assert.match(answer, /5,?000 characters/, 'the length received');
    assert.match(answer, /2,?000/, 'the limit');
    assert.doesNotMatch(answer, /1979|Next step:/, 'not an answer to a message cut short');
    const after = (await h.store.deals.get(TENANT, 'D-1001'))!;
    assert.equal(after.etag, before.etag, 'nothing stored');
  });

  it('in the user\'s language: zh-CN', async () => {
    const said = await h.say(`set D-1001 next step ${'长'.repeat(3_000)}`, { locale: 'zh-CN' });
    const answer = said.texts.join('\n');
    assert.match(answer, /3,?021/);
    assert.match(answer, /2,?000/);
    assert.match(answer, /字符/);
  });

  it('a message of exactly the limit is read as it is', async () => {
    const command = 'set D-1001 next step ';
    const said = await h.say(`${command}${'y'.repeat(2_000 - command.length)}`);
    assert.match(said.texts.join('\n') + said.cards.map(cardText).join('\n'), /Next step: it can be at most 500 characters \(this one has 1979\)/);
  });
});
