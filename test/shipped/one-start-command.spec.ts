import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAP_LIMIT_MB, MEMORY_LIMIT_MB, START_COMMAND } from '../../deploy/runtime-limits';
import { resourceBody, readInfra } from '../infra/bicep-text';
import { execForm, parseDockerfile } from '../support/dockerfile';
import { appServiceCommand, ROOT, startDistScript } from '../support/shipped-way';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * One start command, one heap limit, one Node.js: the Dockerfile, App Service and `npm run start:dist` run
 * deploy/runtime-limits.ts's START_COMMAND (its heap limit measured in docs/benchmarks.md), on Node.js 22 LTS in
 * production while development machines may stay on Node 20.
 */
describe('shipped: one start command, one heap limit, Node.js 22 LTS', () => {
  const dockerfile = parseDockerfile(read('Dockerfile'));

  it('the container, App Service and npm run start:dist run the same command', () => {
    const cmd = dockerfile.at(-1)!.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    assert.deepEqual(cmd.map((i) => i.keyword), ['CMD'], 'the final stage has one CMD and no ENTRYPOINT');
    assert.equal(execForm(cmd[0]).join(' '), START_COMMAND, 'Dockerfile CMD');
    assert.equal(appServiceCommand(), START_COMMAND, 'infra/modules/web-app.bicep appCommandLine');
    assert.equal(startDistScript(), START_COMMAND, 'package.json start:dist');
    assert.doesNotMatch(START_COMMAND, /--enable-source-maps/);
  });

  it('the limits are the measured ones written down in docs/benchmarks.md, and the README and Dockerfile give the same memory', () => {
    const section = /## Heap limit\n([\s\S]*?)\n## /.exec(read('docs/benchmarks.md'))?.[1] ?? '';
    assert.match(section, new RegExp(`--max-old-space-size=${HEAP_LIMIT_MB}\\b`), 'docs/benchmarks.md, "Heap limit", names the shipped heap limit');
    assert.match(section, new RegExp(`\\b${MEMORY_LIMIT_MB} MB\\b`), 'docs/benchmarks.md, "Heap limit", names the memory limit');
    for (const file of ['README.md', 'Dockerfile']) {
      const given = [...read(file).matchAll(/--memory=(\d+)m\b/g)].map((m) => Number(m[1]));
      assert.ok(given.length > 0 && given.every((mb) => mb === MEMORY_LIMIT_MB), `${file}: docker run --memory=${MEMORY_LIMIT_MB}m (found ${given.join(', ') || 'none'})`);
    }
  });

  it('production runs Node.js 22 LTS (the image, App Service); package.json still allows Node 20 for development', () => {
    assert.deepEqual([...new Set(dockerfile.map((s) => s.image))], ['node:22-slim']);
    assert.match(resourceBody(readInfra('modules/web-app.bicep'), 'site'), /linuxFxVersion: 'NODE\|22-lts'/);
    assert.equal((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node, '>=20');
  });

  it('CI runs the whole suite on the machine\'s Node and the shipped-artifact and HTTP flow tests again on Node 22', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['test:node22'], /^npx -y node@22 /);
    for (const files of ['test/shipped/*.spec.ts', 'test/build.spec.ts', 'test/bot/*.spec.ts', 'test/http/*.spec.ts', 'test/security/*.spec.ts']) assert.ok(scripts['test:node22'].includes(files), files);
    const ci = read('.ci/run').split('\n').map((l) => l.trim());
    assert.ok(ci.indexOf('npm test') >= 0 && ci.indexOf('npm run test:node22') > ci.indexOf('npm test'), '.ci/run: npm test, then npm run test:node22');
  });
});
