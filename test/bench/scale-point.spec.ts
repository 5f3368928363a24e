import assert from 'node:assert/strict';
import { FakeTeams } from '../support/fake-teams';
import { containerOf, keyPathsOf } from './bench-containers';
import { type BenchServer, startBenchServer } from './bench-store';
import { logicalPartitions } from './logical-partitions';
import { measureScale } from './scale-point';
import { renderScale } from './scale-report';
import { colleagues, seedDeals } from './seed';

/**
 * The plumbing of `npm run bench -- --only=scale` at a tiny size (the real point is 300,000 deals; see
 * docs/benchmarks.md): seeding with archived histories, the logical partition tally, and the scale run end to end.
 */
describe('bench: the scale point at a tiny size', function () {
  this.timeout(60_000);
  let server: BenchServer;
  let connector: FakeTeams;

  before(async () => {
    server = await startBenchServer();
    connector = await new FakeTeams({ limits: false }).start();
  });
  after(async () => {
    await connector.stop();
    await server.close();
  });

  it('seeds every deal, with archive documents in the deal\'s own partition, and tallies partitions by the full key', async () => {
    const { database } = await server.openStore('tiny');
    const seeded = await seedDeals(database, { total: 250, owners: 10, mine: 20, colleagues: colleagues(4), now: new Date().toISOString(), archivedShare: 0.5 });
    assert.ok(seeded.archives > 100, `${seeded.archives} archive documents`);

    const deals = containerOf('deals');
    const { resources: types } = await database.container(deals.id).items.query<string>('SELECT VALUE c.type FROM c').fetchAll();
    assert.equal(types.filter((t) => t === 'deal').length, 250);
    assert.equal(types.filter((t) => t === 'dealArchive').length, seeded.archives);

    const sizes = (await logicalPartitions(database)).find((p) => p.container === deals.id)!;
    assert.equal(sizes.documents, 250 + seeded.archives);
    assert.deepEqual(sizes.paths, keyPathsOf(deals));
    // One partition per full key value: one per deal (with its archives) when the key goes down to the deal, one per tenant otherwise.
    assert.equal(sizes.partitions, sizes.paths.includes('/dealId') ? 250 : 1);
    const largest = JSON.parse(sizes.largest!.key) as string[];
    const { resources: inLargest } = await database.container(deals.id).items
      .query<number>({ query: `SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @t${largest[1] ? ' AND c.dealId = @d' : ''}`, parameters: [{ name: '@t', value: largest[0]! }, { name: '@d', value: largest[1] ?? '' }] })
      .fetchAll();
    assert.equal(sizes.largest!.documents, inLargest[0]);
    assert.ok(sizes.largest!.bytes > 0 && sizes.largest!.bytes <= sizes.bytes);
    if (sizes.largestPrefix) assert.equal(sizes.largestPrefix.bytes, sizes.bytes, 'one tenant holds every deal');
    await database.delete();
  });

  it('measures the same turns at both points and reports them side by side', async () => {
    const options = { warmup: 1, iterations: 3, budgetMs: 2_000, concurrency: 1, throughputMs: 0 };
    const check = { turnQueries: 0, violations: [], backgroundSweeps: [] };
    const run = await measureScale(server, connector, { baseline: { deals: 120, owners: 12 }, scale: { deals: 300, owners: 30 } }, options, check, () => undefined, 4);

    const labels = run.scale.turns.map((t) => t.label);
    for (const command of ['my deals', 'deal <ref>', 'move <ref> to ', 'pipeline', 'search "northwind" (compose box)']) assert.ok(labels.some((l) => l.startsWith(command)), `${command} in ${labels.join(', ')}`);
    const myDeals = (p: { costs: Array<{ operation: string; repoCalls: number }> }) => p.costs.find((c) => c.operation === 'my deals')!.repoCalls;
    assert.equal(myDeals(run.scale), myDeals(run.baseline));
    assert.equal(run.scale.scanned['my deals / pipeline'], 100, 'the equality index hands my deals only the owner\'s 100 deals');
    assert.deepEqual(check.violations, []);
    assert.equal(run.interleaved.baseline.n, run.interleaved.scale.n);
    assert.equal(run.interleaved.scale.n, 4 * 5);

    const text = renderScale(run, check).join('\n');
    assert.match(text, /### 5\. Scale point/);
    assert.match(text, /`my deals` interleaved: .* ms at 120\*\* and \*\*[\d.]+ \/ [\d.]+ \/ [\d.]+ ms at 300\*\*/);
    assert.match(text, /\| my deals \| [\d.]+ \/ [\d.]+ \/ [\d.]+ \| [\d.]+ \/ /);
    assert.match(text, new RegExp(`\\| ${containerOf('deals').id} \\|`));
  });
});
