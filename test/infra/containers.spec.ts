import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type ContainerResource, GENERATED_FILE, renderContainers } from '../../infra/generate-containers';
import { CONTAINERS, type ContainerDefinition, LEGACY_CONTAINERS } from '../../src/store/containers';
import { partitionKeyDefinitionOf } from '../../src/store/cosmos-client';
import { readInfra, resourceBody, withoutComments } from './bicep-text';

const definitions = CONTAINERS as readonly ContainerDefinition[];
const generated = (): { containers: ContainerResource[] } => JSON.parse(readFileSync(GENERATED_FILE, 'utf8'));

const STORE = path.join(__dirname, '..', '..', 'src', 'store');

/**
 * Every document path any query in src/store names: `c.owner.id` → `/owner/id`, for whatever alias the
 * query's FROM gives (always `c` today). Over-approximates (a `c.x` in plain code counts too), which
 * only makes the exclusion check stricter.
 */
function queriedPaths(): Set<string> {
  const paths = new Set<string>();
  for (const file of readdirSync(STORE).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(STORE, file), 'utf8');
    const aliases = new Set(['c', ...[...source.matchAll(/\bFROM\s+\w+\s+(?:AS\s+)?(\w+)/gi)].map((m) => m[1])]);
    for (const alias of aliases) {
      for (const m of source.matchAll(new RegExp(`\\b${alias}((?:\\.[A-Za-z_]\\w*|\\[['"][^'"]+['"]\\])+)`, 'g'))) {
        paths.add(m[1].replace(/\[['"]([^'"]+)['"]\]/g, '.$1').replace(/\./g, '/'));
      }
    }
  }
  return paths;
}

/** `/history/*` covers `/history` and everything under it; `/a/?` covers `/a` only. */
const covers = (excluded: string, queried: string): boolean => {
  const base = excluded.replace(/\/(\*|\?)$/, '');
  return excluded.endsWith('/?') ? queried === base : queried === base || queried.startsWith(`${base}/`);
};

describe('infra: Cosmos containers come from src/store/containers.ts', () => {
  it('the committed containers.generated.json is what `npm run infra:generate` writes now', () => {
    assert.equal(
      readFileSync(GENERATED_FILE, 'utf8'),
      renderContainers(),
      'infra/containers.generated.json is stale: run `npm run infra:generate` and commit the result',
    );
  });

  it('declares every container in CONTAINERS, and nothing else, with the same partition key as the store creates', () => {
    const declared = generated().containers;
    assert.deepEqual(
      declared.map((c) => c.id),
      definitions.map((c) => c.id),
    );
    for (const definition of definitions) {
      const container = declared.find((c) => c.id === definition.id)!;
      assert.deepEqual(container.partitionKey.paths, definition.partitionKey, `${definition.id}: partition key`);
      const declaredKey: ContainerResource['partitionKey'] = container.partitionKey;
      assert.equal(declaredKey.kind, definition.partitionKey.length > 1 ? 'MultiHash' : 'Hash', `${definition.id}: kind`);
      assert.deepEqual({ ...declaredKey }, { ...partitionKeyDefinitionOf(definition.partitionKey) }, `${definition.id}: kind and version as the store creates it`);
    }
  });

  it('carries each container\'s composite indexes, excluded paths and TTL', () => {
    for (const definition of definitions) {
      const { indexingPolicy, defaultTtl } = generated().containers.find((c) => c.id === definition.id)!;
      assert.deepEqual(indexingPolicy.compositeIndexes, definition.compositeIndexes ?? [], `${definition.id}: composite indexes`);
      const excluded = indexingPolicy.excludedPaths.map((p) => p.path);
      for (const p of definition.excludedPaths ?? []) assert.ok(excluded.includes(p), `${definition.id}: ${p} not excluded`);
      assert.deepEqual(indexingPolicy.includedPaths, [{ path: '/*' }], `${definition.id}: everything else stays indexed`);
      assert.equal(defaultTtl, definition.defaultTtl, `${definition.id}: TTL`);
    }
  });

  it('main.bicep creates one container per generated entry, inside the database', () => {
    const main = withoutComments(readInfra('main.bicep'));
    assert.match(main, /loadJsonContent\('containers\.generated\.json'\)\.containers/);
    assert.match(main, /containers: containers\b/, 'main.bicep passes the generated containers to the Cosmos module');
    const cosmos = withoutComments(readInfra('modules/cosmos.bicep'));
    assert.match(cosmos, /^resource container '[^']+' = \[\s*for c in containers: \{/m);
    const body = resourceBody(cosmos, 'container');
    assert.match(body, /^\{\s*parent: database\s+name: c\.id\s+properties: \{\s*resource: c\s*\}\s*\}$/);
  });

  it('excludes from the index only paths that no query in src/store names', () => {
    const queried = queriedPaths();
    assert.ok(queried.has('/tenantId') && queried.has('/owner/id'), 'the query scan finds the store\'s queries');
    for (const definition of definitions) {
      for (const excluded of definition.excludedPaths ?? []) {
        assert.match(excluded, /^\/[A-Za-z_]\w*(\/[A-Za-z_]\w*)*\/(\*|\?)$/, `${definition.id}: ${excluded} is a plain path ending in /* or /?`);
        const hit = [...queried].filter((q) => covers(excluded, q));
        assert.deepEqual(hit, [], `${definition.id}: ${excluded} is excluded from the index but queried as ${hit.join(', ')}`);
        const indexed = [...definition.partitionKey, ...(definition.compositeIndexes ?? []).flat().map((i) => i.path)];
        assert.ok(!indexed.some((p) => covers(excluded, p)), `${definition.id}: ${excluded} covers its partition key or a composite index`);
      }
    }
  });

  it('infra/README.md lists every container with its partition key', () => {
    const readme = readInfra('README.md');
    for (const { id, partitionKey } of definitions) {
      assert.match(readme, new RegExp(`^\\| \`${id}\` \\| \`${partitionKey.join(', ')}\` \\|`, 'm'), `infra/README.md has no row for ${id}`);
    }
  });

  it('declares none of the legacy containers the store no longer reads (only the migration does)', () => {
    const declared = new Set(generated().containers.map((c) => c.id));
    for (const { id } of LEGACY_CONTAINERS) if (id !== 'settings') assert.ok(!declared.has(id), `${id} is still declared`);
    const sources = readdirSync(STORE).filter((f) => f.endsWith('.ts') && f !== 'containers.ts').map((f) => readFileSync(path.join(STORE, f), 'utf8'));
    for (const source of sources) assert.doesNotMatch(source, /container\('(deals|conversations|people|follows|deliveries|jobs)'\)|import[^;]*\bLEGACY_CONTAINERS\b/);
  });
});
