import assert from 'node:assert/strict';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { contosoForm } from './deal-fixtures';

type Node = Record<string, any>;
const find = (node: unknown, match: (n: Node) => boolean): Node | undefined => {
  if (Array.isArray(node)) for (const n of node) { const f = find(n, match); if (f) return f; }
  else if (node && typeof node === 'object') {
    if (match(node as Node)) return node as Node;
    for (const v of Object.values(node)) { const f = find(v, match); if (f) return f; }
  }
  return undefined;
};

/** Issue 18: BDM, TDM, budget, outline and proposal on the deal card, in a section shown and hidden on demand. */
describe('the deal card shows its evidence in a section that can be shown and hidden (through /api/messages)', () => {
  const h = new DealDeskHarness();
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm); // D-1001
    await h.press('deal.move', { dealId: 'D-1001', target: 'Solution', bdm: 'Dana Li, CFO', tdm: 'Wei Chen, CTO', budget: 'FY27 USD 2M' });
  });
  after(() => h.stop());

  for (const [locale, toggle, labels] of [
    ['en-US', 'Evidence (BDM, TDM, budget, outline, proposal)', ['Business decision maker (BDM)', 'Technical decision maker (TDM)', 'Budget']],
    ['zh-CN', '证据（业务决策人、技术决策人、预算、方案概要、建议书）', []],
  ] as const) {
    it(`${locale}: hidden at first, one button toggles it, every item listed ("—" for what is not given yet)`, async () => {
      const card = (await h.say('deal D-1001', { locale })).cards[0];
      const section = find(card, (n) => n.id === 'evidence')!;
      assert.equal(section.isVisible, false);
      const button = find(card, (n) => n.type === 'Action.ToggleVisibility')!;
      assert.deepEqual([button.title, button.targetElements], [toggle, ['evidence']]);
      const facts = find(section, (n) => n.type === 'FactSet')!.facts as Array<{ title: string; value: string }>;
      assert.deepEqual(facts.map((f) => f.value), ['Dana Li, CFO', 'Wei Chen, CTO', 'FY27 USD 2M', '—', '—']);
      for (const [i, label] of labels.entries()) assert.equal(facts[i].title, label);
    });
  }
});
