import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { ENTRIES, filesUnder } from '../deploy/build-artifact';
import { loadSourceMap, mapStackTrace } from '../deploy/map-stack-trace';
import { buildOnce, freshFolder, ROOT, startDist } from './support/shipped-way';

const DIST = join(ROOT, 'dist');

/**
 * `npm run build` makes one artifact: dist/ (what the container copies and `npm run start:dist` runs) and the same
 * files zipped under dist/ in build/dealdesk.zip (what App Service runs). That every shipped way starts from it,
 * with nothing else around it, is test/shipped/*.spec.ts; here, what the artifact is made of.
 */
describe('npm run build: one artifact', function () {
  this.timeout(120_000);
  before(() => buildOnce());

  it('build/dealdesk.zip holds exactly the files of dist/, under dist/, byte for byte', () => {
    const zipped = unzipSync(readFileSync(join(ROOT, 'build', 'dealdesk.zip')));
    const names = Object.keys(zipped).filter((n) => !n.endsWith('/')).sort();
    assert.deepEqual(names, filesUnder(DIST).map((f) => `dist/${f}`));
    for (const name of names) assert.ok(Buffer.from(zipped[name]).equals(readFileSync(join(ROOT, name))), name);
  });

  it('the language model\'s prompts ship beside the bundle, as prompts/ holds them (teams-ai\'s PromptManager reads them at run time)', () => {
    const prompts = filesUnder(join(ROOT, 'prompts'));
    assert.deepEqual(prompts, ['summary/config.json', 'summary/skprompt.txt', 'update/config.json', 'update/skprompt.txt']);
    for (const file of prompts) assert.ok(readFileSync(join(DIST, 'prompts', file)).equals(readFileSync(join(ROOT, 'prompts', file))), file);
  });

  it('each bundle (DealDesk, the migrate command) is one byte per character (V8 would keep a two-byte copy of it: twice the heap)', () => {
    assert.deepEqual(filesUnder(DIST).filter((f) => f.endsWith('.js')), ENTRIES.map((name) => `${name}.js`));
    for (const name of ENTRIES) {
      const text = readFileSync(join(DIST, `${name}.js`), 'utf8');
      const wide = [...text.matchAll(/[^\x00-\xff]/g)].slice(0, 3).map((m) => text.slice(Math.max(0, m.index - 40), m.index + 5));
      assert.deepEqual(wide, [], name);
    }
    const source = readFileSync(join(DIST, 'main.js'), 'utf8');
    // The regular expressions that held such characters still match them (the zh-CN list separator, here).
    assert.match(source, /\[,\\uff0c\\u3001\]\\s\*\|\\s\+and\\s\+\|\\s\*\\u548c/);
  });

  it('no source map is read at run time, and the one shipped maps stack traces back to src/ offline', () => {
    const lines = readFileSync(join(DIST, 'main.js'), 'utf8').split('\n');
    assert.ok(!lines.some((l) => l.includes('sourceMappingURL=main.js.map')), 'the bundle does not name its map');
    const at = (needle: string, then = '') => {
      const line = lines.findIndex((l) => l.includes(needle));
      assert.ok(line >= 0, needle);
      const column = lines[line].indexOf(then || needle, lines[line].indexOf(needle));
      return `/home/site/wwwroot/dist/main.js:${line + 1}:${column + 1}`;
    };
    const trace = [
      `Error: boom`,
      `    at contradiction (${at('function contradiction(')})`,
      // After an escaped character on the same line: the columns were moved with it.
      `    at parseApprovalCommand (${at('\\s+and\\s+|\\s*\\u548c', 'map(')})`,
    ].join('\n');
    const mapped = mapStackTrace(trace, loadSourceMap(join(DIST, 'main.js.map'))).split('\n');
    const source = (file: string, line: number) => readFileSync(join(ROOT, file), 'utf8').split('\n')[line - 1];
    const [, file1, line1] = /\((src\/[^:]+):(\d+):\d+\)/.exec(mapped[1])!;
    assert.equal(file1, 'src/config-combinations.ts');
    assert.match(source(file1, Number(line1)), /export function contradiction\(/);
    const [, file2, line2, column2] = /\((src\/[^:]+):(\d+):(\d+)\)/.exec(mapped[2])!;
    assert.equal(file2, 'src/chat/parse-approval-command.ts');
    assert.equal(source(file2, Number(line2)).indexOf('map(') + 1, Number(column2), mapped[2]);
  });

  it('an invalid configuration exits 1 with the one-line config error', () => {
    const folder = freshFolder('bad-config');
    try {
      const way = startDist(folder);
      const run = spawnSync(way.argv[0], way.argv.slice(1), { cwd: way.cwd, env: { PATH: process.env.PATH, PORT: 'not-a-port' }, encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /^DealDesk cannot start: PORT: .+$/m);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
