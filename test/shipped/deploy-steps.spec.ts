import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/shipped-way';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The shell lines of the ```sh blocks in the part of a Markdown file under `heading` (comments and blanks dropped). */
function shellLines(file: string, heading: string): string[] {
  const text = read(file);
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `${file}: no "${heading}"`);
  const level = heading.split(' ')[0]!;
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  const section = end >= 0 ? rest.slice(0, end) : rest;
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Which test runs a step; `az` commands need Azure, which is not reachable here, and `docker` ones a Docker engine. */
function testedBy(line: string): string | undefined {
  if (line.startsWith('az ')) return 'none: needs Azure';
  if (line.startsWith('docker ')) return 'test/shipped/container.spec.ts emulates the image (no Docker engine here); the line is the Dockerfile\'s own';
  return {
    'npm ci && npm run build': 'npm ci: .ci/run installs the checkout so; npm run build: buildOnce() (test/support/shipped-way.ts), whose build/dealdesk.zip test/shipped/app-service.spec.ts unpacks and starts',
  }[line];
}

/**
 * Issue 15: the README's "Deploy to Azure" and infra/README.md give the same deploy steps, and each of them is one
 * the tests run (test/shipped/app-service.spec.ts), except the `az` commands, which need Azure.
 */
describe('shipped: the README deploy steps are the tested ones', () => {
  const readme = shellLines('README.md', '## Deploy to Azure');
  const infra = shellLines('infra/README.md', '### 4. Deploy the code');
  const codeSteps = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith('npm '))).filter((l) => !l.startsWith('docker '));

  it('README.md and infra/README.md deploy the code with the same steps', () => {
    assert.ok(codeSteps(readme).length >= 2, readme.join('\n'));
    assert.deepEqual(codeSteps(readme), codeSteps(infra));
  });

  it('every step that is not an az command is one the tests run', () => {
    for (const line of [...readme, ...infra]) assert.ok(testedBy(line), `"${line}" is a deploy step no test runs`);
  });

  it('the package uploaded is the one npm run build writes and the App Service test unpacks, as a zip', () => {
    const deploys = [...readme, ...infra].filter((l) => l.startsWith('az webapp deploy'));
    assert.equal(deploys.length, 2);
    for (const line of deploys) {
      assert.match(line, / --src-path build\/dealdesk\.zip( |$)/);
      assert.match(line, / --type zip( |$)/);
    }
  });

  it('the README runs the container as the Dockerfile says', () => {
    const dockerfile = read('Dockerfile');
    const lines = shellLines('README.md', '## Deploy to Azure').filter((l) => l.startsWith('docker '));
    assert.ok(lines.length >= 3, lines.join('\n'));
    for (const line of lines) assert.ok(dockerfile.includes(line), `Dockerfile's header does not say: ${line}`);
  });
});
