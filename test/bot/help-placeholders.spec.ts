import assert from 'node:assert/strict';
import { enUS, zhCN } from '../../src/i18n/locale';
import { installed } from '../support/activities';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { placeholdersOf, shownText } from '../support/shown-text';

type Node = Record<string, any>;
const textBlocks = (node: unknown, out: string[] = []): string[] => {
  if (Array.isArray(node)) node.forEach((n) => textBlocks(n, out));
  else if (node && typeof node === 'object') {
    if ((node as Node).type === 'TextBlock') out.push((node as Node).text);
    Object.values(node).forEach((v) => textBlocks(v, out));
  }
  return out;
};

/** Each help line's placeholders in a catalogue ("move <deal> to <stage> [note]" → <deal>, <stage>). */
const expected = (catalogue: Record<string, string | undefined>) =>
  Object.entries(catalogue).filter(([key]) => key.startsWith('help.')).flatMap(([key, text]) => placeholdersOf(text ?? '').map((p) => ({ key, p })));

describe('help and welcome cards show every <placeholder> (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  for (const [locale, catalogue] of [['en-US', enUS], ['zh-CN', zhCN]] as const) {
    it(`${locale}: "help" shows each placeholder of every command, e.g. "add <person> to <deal> [as <role>]"`, async () => {
      const card = (await h.say('help', { locale })).cards[0];
      for (const text of textBlocks(card)) assert.doesNotMatch(text.replace(/`[^`]*`/g, ''), /<[^<>\n]+>/, 'a placeholder only inside a code span');
      const shown = textBlocks(card).map(shownText).join('\n');
      const wanted = expected(catalogue);
      assert.ok(wanted.length > 20, 'the catalogue has placeholders to look for');
      for (const { key, p } of wanted) assert.ok(shown.includes(p), `${key}: ${p} is shown`);
      const team = catalogue['help.syntax.team']!;
      const syntax = textBlocks(card).map(shownText).find((t) => t.startsWith(team.split(' ')[0]));
      assert.equal(syntax, team, 'the team line reads as the catalogue writes it');
    });

    it(`${locale}: the welcome card on install shows them too`, async () => {
      const as = locale === 'en-US' ? 'isaiah' : 'patti';
      const card = (await h.send(installed({ serviceUrl: h.connector.url, as, locale }))).cards[0];
      const shown = textBlocks(card).map(shownText).join('\n');
      for (const { key, p } of expected(catalogue)) assert.ok(shown.includes(p), `${key}: ${p} is shown`);
    });
  }
});
