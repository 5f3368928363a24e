import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestStore, type TestStore } from './support/embedded-store';
import { waitFor } from './support/wait-for';

const ROOT = join(__dirname, '..');

/** Runs `node dist/main.js` in `dir` and collects its output until it exits or `until` matches it. */
function run(dir: string, env: NodeJS.ProcessEnv, until?: RegExp, timeoutMs = 30_000): Promise<{ code: number | null; out: string; output: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: dir, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = () => {
    child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${until ?? 'exit'} within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d;
      if (until?.test(out)) {
        clearTimeout(timer);
        resolve({ code: null, out, output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      resolve({ code, out, output: () => out, stop });
    });
  });
}

/**
 * `npm run build` makes dist/ (one bundle plus the card templates) that runs with no node_modules at all in
 * Azure mode: copied alone into an empty directory here, it starts against a Cosmos endpoint and is ready.
 */
describe('npm run build: dist/ runs on its own', function () {
  this.timeout(120_000);
  let dir: string;
  let testStore: TestStore | undefined;

  before(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'dealdesk-dist-'));
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  });
  after(async () => {
    await testStore?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an invalid configuration exits 1 with the one-line config error', async () => {
    const { code, out } = await run(dir, { PORT: 'not-a-port' });
    assert.equal(code, 1);
    assert.match(out, /^DealDesk cannot start: PORT: .+$/m);
  });

  it('local mode without the dev dependencies says what is missing, in one line', async () => {
    const { code, out } = await run(dir, { PORT: '0', DATA_DIR: join(dir, '.data') });
    assert.equal(code, 1);
    assert.match(out, /^DealDesk cannot start: local mode needs the embedded Cosmos-compatible server, a dev dependency.*COSMOS_ENDPOINT/m);
  });

  it('Azure mode starts with no node_modules, answers /readyz, renders cards, and stops on SIGTERM', async () => {
    testStore = await startTestStore();
    const started = await run(dir, {
      PORT: '0', LOG_LEVEL: 'warn', COSMOS_ENDPOINT: testStore.endpoint, COSMOS_KEY: testStore.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: `dist-${Date.now()}`,
    }, /Press Ctrl-C/);
    try {
      const url = /listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(started.out)![1];
      await waitFor('ready', async () => (await fetch(`${url}/readyz`)).status === 200, 15_000);
      // A card press answered with a card: the templates are found from dist/ (dist/cards).
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'invoke', name: 'adaptiveCard/action', id: 'a1', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/',
          from: { id: '29:u', name: 'U', aadObjectId: 'aad-u' }, recipient: { id: '28:bot' },
          conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't1' }, channelData: { tenant: { id: 't1' } },
          value: { action: { type: 'Action.Execute', verb: 'deal.newForm', data: {} } },
        }),
      });
      assert.equal(res.status, 200);
      assert.match(JSON.stringify(await res.json()), /AdaptiveCard/);
    } finally {
      assert.equal(await started.stop(), 0, started.output());
    }
  });
});
