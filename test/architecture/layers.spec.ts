import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICruiseResult, IViolation } from 'dependency-cruiser';

/**
 * The layer rules of `.dependency-cruiser.cjs` (README, "How it is built") hold for `src/`, and the same rules do
 * fail: a fixture copy of the layout with one deliberate violation of each kind is reported, rule by rule.
 */
const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/layers');

/** dependency-cruiser's `cruise` over `<baseDir>/src` with the repository's rules (in plain Node: see cruise-layers.mjs). */
async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const child = fork(path.join(__dirname, 'cruise-layers.mjs'), [path.join(ROOT, '.dependency-cruiser.cjs'), baseDir], { execArgv: [] });
  const output = await new Promise<ICruiseResult>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ICruiseResult));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the cruise ended (${code}) without a result`)));
  });
  assert.equal(typeof output, 'object');
  return output;
}

/** `rule: from → to` (a cycle: its files in order), with node_modules paths cut to the package name. */
const describe_ = (v: IViolation): string => {
  const short = (p: string) => p.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1');
  const to = v.cycle ? v.cycle.map((c) => c.name).join(' → ') : short(v.to);
  return `${v.rule.name}: ${v.from} → ${to}`;
};

describe('architecture: checked layers', function () {
  this.timeout(120_000);

  it('src/ keeps every layer rule and has no import cycle, type-only ones included', async () => {
    const result = await cruiseSrc(ROOT);
    // A parser that reads nothing would find nothing: make sure the whole tree was read.
    assert.ok(result.summary.totalCruised > 300, `only ${result.summary.totalCruised} modules cruised`);
    assert.ok((result.summary.totalDependenciesCruised ?? 0) > 1000, `only ${result.summary.totalDependenciesCruised} dependencies cruised`);
    assert.deepEqual(result.summary.violations.map(describe_), []);
  });

  it('the same rules report each deliberate violation in the fixture, and nothing else', async () => {
    const result = await cruiseSrc(FIXTURE);
    assert.deepEqual(result.summary.violations.map(describe_).sort(), [
      'cards-do-not-call-use-cases: src/cards/quota-card.ts → src/app/manage-quota.ts',
      'cosmos-only-in-the-store: src/app/save-deal.ts → @azure/cosmos',
      'domain-is-pure: src/domain/deal-timers.ts → src/ports/clock.port.ts',
      'identity-only-where-a-token-is-needed: src/notify/token.ts → @azure/identity',
      'no-cycles: src/domain/alert.ts → src/domain/deal.ts → src/domain/alert.ts',
      'ports-know-the-domain-only: src/ports/messenger.port.ts → src/notify/outgoing-message.ts',
      'sdks-only-at-the-edge: src/chat/reply.ts → botbuilder',
      'senders-draw-no-cards: src/notify/send-alert.ts → src/cards/alert-card.ts',
      'use-cases-know-ports-and-domain: src/app/save-deal.ts → @azure/cosmos',
      'use-cases-know-ports-and-domain: src/app/send-digest.ts → src/notify/outgoing-message.ts',
    ]);
  });

  it("README's map names every folder under src/ and every port", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const map = readme.slice(readme.indexOf('## How it is built'), readme.indexOf('**The layers are checked.**'));
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual(folders.filter((folder) => !map.includes(`  ${folder}/`)), [], 'folders missing from the map');
    const ports = readdirSync(path.join(ROOT, 'src/ports')).map((file) => file.replace(/\.port\.ts$/, '').replace(/-repository$/, ''));
    assert.deepEqual(ports.filter((port) => !new RegExp(`\\b${port}\\b`).test(map)), [], 'ports missing from the map');
  });
});
