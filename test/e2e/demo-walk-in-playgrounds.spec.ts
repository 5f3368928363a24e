import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enUS } from '../../src/i18n/locale';
import { freePort } from '../support/free-port';
import { startMain, stopWith, type RunningMain } from '../support/run-main';
import { openPlayground, type Driver } from './support/playground-driver';

const ROOT = join(__dirname, '..', '..');
/** UPDATE_SCREENSHOTS=1 writes the README's screenshots (docs/screenshots/); otherwise they go to test-results/. */
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'playground');
/** The playground without its log panel (the right-hand ~330 px), to keep the committed PNGs small. */
const shot = async (driver: Driver, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await driver.page.screenshot({ path: join(SHOTS, `demo-${name}.png`), clip: { x: 0, y: 0, width: 1060, height: 1000 } });
};

/** Two ports in a row that nothing listens on: Alex's playground and Megan's, the next one. */
async function twoFreePorts(): Promise<number> {
  for (;;) {
    const port = await freePort();
    const next = await new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(port + 1, () => s.close(() => resolve(true)));
    });
    if (next) return port;
  }
}

/**
 * The README's walk on the demo tenant, exactly as a new user lives it: `npm start -- --demo` starts DealDesk with
 * Alex's playground and Megan's side by side; Alex (the SE) updates Contoso Bank's deal, and Megan (his manager, on
 * the deal team) hears about it in General and 1:1; Alex requests approval, Megan approves from the channel card in
 * her playground, Alex's playground shows the result and the deal closes Won. Each playground in its own headless
 * Chromium (a playground shows only its own user: PLAYGROUND-NOTES.md, "Two users").
 */
describe('the demo walk: npm start -- --demo, Alex and Megan in two playgrounds (headless Chromium)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let running: RunningMain;
  let alex: Driver;
  let megan: Driver;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-demo-walk-'));
    const port = await twoFreePorts();
    running = await startMain(
      { PORT: '0', DATA_DIR: dataDir, PLAYGROUND_PORT: String(port), PLAYGROUND_USERS: 'alex,megan', ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '100', LOG_LEVEL: 'error' },
      60_000,
      ['--import', 'tsx', 'src/main.ts', '--demo'],
    );
    const url = (name: string) => new RegExp(`^\\s+(http://localhost:\\d+)\\s+${name} \\(`, 'm').exec(running.output())?.[1];
    [alex, megan] = await Promise.all([openPlayground(url('Alex Wilber')!), openPlayground(url('Megan Bowen')!)]);
  });

  after(async () => {
    await Promise.all([alex?.close(), megan?.close()]);
    if (running) assert.equal(await stopWith(running, 'SIGINT'), 0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the banner lists each playground with who that user is', () => {
    const out = running.output();
    assert.match(out, /7 deals in .*: the demo tenant, seeded just now/);
    assert.match(out, /^ {2}http:\/\/localhost:(\d+) {2}Alex Wilber \(SE, admin; owns the demo pipeline\)$/m);
    assert.match(out, /^ {2}http:\/\/localhost:(\d+) {2}Megan Bowen \(services manager; level-1 approver, Alex's manager, on Contoso Bank's deal team\)$/m);
    const [a, m] = [/localhost:(\d+) {2}Alex/, /localhost:(\d+) {2}Megan/].map((r) => Number(r.exec(out)![1]));
    assert.equal(m, a + 1, "Megan's playground is on the next port");
  });

  it('Alex asks for help: the rendered card shows every <placeholder> of every command', async () => {
    await alex.openPersonalChat();
    await alex.send('help');
    await alex.waitForText('What DealDesk can do');
    const shown = await alex.cardText('What DealDesk can do');
    const wanted = Object.entries(enUS).filter(([key]) => key.startsWith('help.')).flatMap(([, text]) => text.match(/<[^<>]+>/g) ?? []);
    assert.ok(wanted.length > 20);
    for (const placeholder of new Set(wanted)) assert.ok(shown.includes(placeholder), `${placeholder} is shown`);
    assert.ok(shown.includes('add <person> to <deal> [as <role>]'), shown);
    await alex.page.getByText('What DealDesk can do').last().scrollIntoViewIfNeeded(); // the card's top, not its end
    await shot(alex, '0-help-alex');
  });

  it('Alex sees his pipeline, seeded across every stage', async () => {
    await alex.send('my deals');
    await alex.waitForText('Core banking migration');
    await alex.waitForText(/^Proof · 2 · \$8,200,000$/);
    await shot(alex, '1-pipeline-alex');
  });

  it('Megan opens General: it follows Contoso Bank, and now reaches her playground', async () => {
    await megan.openChannel('General');
    await megan.sendInChannel('following');
    await megan.waitForText(/contoso bank/i);
  });

  it('Alex updates D-1001; Megan, on its deal team, hears about it in General and 1:1', async () => {
    await alex.send('set D-1001 value 2.4m');
    await alex.waitForText('NWS value updated.');
    await megan.waitForText(/\$2,000,000 → \$2,400,000/, 20_000);
    await megan.waitForText(/Changed by Alex Wilber/);
    await shot(megan, '2-alert-channel-megan');
    await megan.openPersonalChat();
    await megan.waitForText(/\$2,000,000 → \$2,400,000/, 20_000);
    await shot(megan, '3-alert-1to1-megan');
  });

  it('Alex requests approval of D-1001; the card is in General for Megan, the level-1 approver', async () => {
    await alex.send('request approval D-1001 Signature next week');
    await alex.waitForText('Approval requested. The approvers have it in the approvals channel.');
    await megan.waitForText('Your approval is asked at level Services manager.', 20_000);
    await megan.openChannel('General');
    await megan.waitForText('Approval request · D-1001 · Contoso Bank · round 1', 20_000);
    await megan.waitForText('Waiting for: Services manager');
    await shot(megan, '4-approval-card-megan');
  });

  it('Megan approves from the channel card; it changes to Approved in place', async () => {
    await megan.fillInput('Comment (required to reject or request changes)', 'Margin checked, go ahead');
    await megan.clickButton('Approve');
    await megan.waitForText(/^Approved$/);
    await megan.waitForText(/Megan Bowen: approved · .* · “Margin checked, go ahead”/);
    await shot(megan, '5-approved-megan');
  });

  it("Alex's playground shows the result, and D-1001 closes Won", async () => {
    await alex.waitForText('D-1001 is approved. You can close it Won.', 20_000);
    await shot(alex, '6-approved-alex');
    await alex.send('close D-1001 won');
    await alex.waitForText('Move D-1001 to Closed won');
    await alex.clickButton('Move to Closed won');
    await alex.waitForText('Moved to Closed won.');
    await shot(alex, '7-won-alex');
  });

  it("every screenshot the README shows exists (UPDATE_SCREENSHOTS=1 takes them again)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/\]\((docs\/screenshots\/[^)]+\.png)\)/g)].map((m) => m[1]);
    assert.ok(shown.length > 0, 'the README shows the walk');
    assert.deepEqual(shown.filter((file) => !existsSync(join(ROOT, file))), []);
  });
});
