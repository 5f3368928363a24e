import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/local/embedded-cosmos';
import { registry } from '../../src/metrics/metrics';
import { cardPress, personalText } from '../support/activities';
import { FakeIngestion, type Envelope } from '../support/fake-ingestion';
import { FakeTeams } from '../support/fake-teams';
import { FaultProxy } from '../support/fault-proxy';
import { type RunningMain, startMain, stopWith } from '../support/run-main';
import { waitFor } from '../support/wait-for';
import { contosoForm } from '../bot/deal-fixtures';

/** Text users typed that must never leave DealDesk for Application Insights. */
const SECRETS = ['SECRET-TITLE-7f3a', 'SECRET-NEXT-STEP-9c1d', 'SECRET-TEXT-4e2b', 'SECRET-NOTE-5b6c'];

const operationOf = (e: Envelope) => e.tags['ai.operation.id'];
const parentOf = (e: Envelope) => e.tags['ai.operation.parentId'];
const props = (e: Envelope): Record<string, string> => e.data.baseData.properties ?? {};

/**
 * Application Insights sees inside DealDesk: `npm start`'s entry point (src/main.ts) in its own process, in Azure
 * mode (its store behind a fault proxy), exporting to a local stand-in for the ingestion endpoint. Two turns, a
 * turn failing because the store fails, a refusal at the edge, a proactive delivery, scheduled jobs and a SIGTERM:
 * each turn is a request with its Cosmos DB and Bot Connector calls as dependencies, a failure is an exception of
 * its turn, log lines carry their operation, metrics are flushed at shutdown, and no message text leaves.
 */
describe('Application Insights: requests, dependencies, exceptions and logs reach the ingestion endpoint', function () {
  this.timeout(90_000);
  const teams = new FakeTeams({ limits: false });
  const ingestion = new FakeIngestion();
  let cosmos: EmbeddedCosmos;
  let proxy: FaultProxy;
  let dealdesk: RunningMain;
  const said: Record<string, string> = {};
  let metricsBeforeShutdown = -1;

  const post = async (activity: Record<string, unknown> | object) => {
    const res = await fetch(`${dealdesk.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await res.text();
    return res.status;
  };
  const say = (text: string, as: 'alex' | 'megan' = 'alex') => post(personalText(text, { serviceUrl: teams.url, as }));

  before(async () => {
    await teams.start();
    await ingestion.start();
    cosmos = await startEmbeddedCosmos();
    proxy = await new FaultProxy({ target: cosmos.endpoint }).start();
    dealdesk = await startMain({
      PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'off', LOG_LEVEL: 'info', METRICS: 'on',
      COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: cosmos.key, COSMOS_EMULATOR: 'on', COSMOS_DATABASE: `telemetry-${randomUUID()}`,
      ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '50', DEALDESK_CLOCK: 'manual',
      APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
      NODE_EXTRA_CA_CERTS: ingestion.caFile,
      // Microsoft's own SDK usage statistics go to a public endpoint: none from a test.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    }, 60_000);

    assert.equal(await say('help', 'megan'), 200);
    assert.equal(await post(cardPress('deal.create', { ...contosoForm, title: `Migration ${SECRETS[0]}`, nextStep: SECRETS[1] }, { serviceUrl: teams.url })), 200);
    assert.equal(await say('add megan to D-1001 as architect'), 200);
    const before = teams.messagesTo('a:personal-megan').length;
    assert.equal(await say(`move D-1001 to qualify ${SECRETS[3]}`), 200);
    await waitFor('the alert delivered to Megan', () => teams.messagesTo('a:personal-megan').length > before, 15_000);
    // The store fails for one turn: every Cosmos DB request answered 503.
    proxy.rate(1, 1, ['503']);
    try {
      assert.equal(await say(`deal D-1001 ${SECRETS[2]}`), 200);
    } finally {
      proxy.rate(0, 0);
    }
    said.refused = String(await post({ hello: SECRETS[2] }));
    // A week later: the scheduled digest and nudges run.
    const clock = await fetch(`${dealdesk.url}/_dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'P8D' }) });
    assert.equal(clock.status, 200);
    metricsBeforeShutdown = ingestion.of('Metric').length;
    said.exit = String(await stopWith(dealdesk, 'SIGTERM'));
  });
  after(async () => {
    if (dealdesk && dealdesk.child.exitCode === null) dealdesk.child.kill('SIGKILL');
    await teams.stop();
    await ingestion.stop();
    await proxy?.stop();
    await cosmos?.close();
  });

  const requestNamed = (name: string) => {
    const found = ingestion.of('Request').filter((e) => e.data.baseData.name === name);
    assert.ok(found.length > 0, `no request "${name}" among ${ingestion.of('Request').map((e) => e.data.baseData.name).join(', ')}`);
    return found[0];
  };
  /** Items of one operation, whose parent is the span `parentId`. */
  const childrenOf = (request: Envelope, kind: 'RemoteDependency' | 'Exception' | 'Message') =>
    ingestion.of(kind).filter((e) => operationOf(e) === operationOf(request) && parentOf(e) === request.data.baseData.id);

  it('stops on SIGTERM with exit code 0, having flushed what it held (metrics are sent once a minute, or at shutdown)', () => {
    assert.equal(said.exit, '0', dealdesk.output());
    assert.equal(metricsBeforeShutdown, 0, 'no metrics before the shutdown flush');
    const names = new Set(ingestion.of('Metric').map((e) => e.data.baseData.metrics[0].name));
    for (const name of ['dealdesk_turns_total', 'dealdesk_turn_duration_ms', 'dealdesk_cosmos_requests_total', 'dealdesk_teams_requests_total', 'dealdesk_http_refusals_total', 'dealdesk_alerts_total']) {
      assert.ok(names.has(name), `metric ${name} arrived (got ${[...names].join(', ')})`);
      assert.ok(registry.list().some((i) => i.name === name));
    }
  });

  it('each turn is a request of its own, named after what it asked, with its outcome and duration', () => {
    const help = requestNamed('turn message help');
    const create = requestNamed('turn invoke deal.create');
    for (const turn of [help, create]) {
      assert.match(operationOf(turn), /^[0-9a-f]{32}$/, 'the operation id is the trace id');
      assert.match(turn.data.baseData.id, /^[0-9a-f]{16}$/, 'the request id is the span id');
      assert.equal(parentOf(turn), undefined, 'a turn starts its operation');
      assert.equal(turn.data.baseData.success, true);
      assert.equal(turn.data.baseData.responseCode, '200');
      assert.equal(props(turn)['dealdesk.outcome'], 'ok');
      assert.match(turn.data.baseData.duration, /^\d\d:\d\d:\d\d\.\d+$/);
    }
    assert.notEqual(operationOf(help), operationOf(create));
    assert.equal(props(help)['dealdesk.command'], 'help');
    assert.equal(props(help)['dealdesk.activity_type'], 'message');
    assert.equal(props(create)['dealdesk.verb'], 'deal.create');
  });

  it("each turn's Cosmos DB and Bot Connector calls are dependencies of its request", () => {
    const move = requestNamed('turn message move');
    const calls = childrenOf(move, 'RemoteDependency');
    const cosmosCalls = calls.filter((d) => d.data.baseData.type === 'cosmosdb');
    assert.ok(cosmosCalls.some((d) => d.data.baseData.name === 'cosmos read deals-v2'), calls.map((d) => d.data.baseData.name).join(', '));
    assert.ok(cosmosCalls.some((d) => d.data.baseData.name === 'cosmos replace deals-v2'), 'the move is one conditional write');
    const reply = calls.find((d) => d.data.baseData.type === 'Http');
    assert.ok(reply, 'the reply to Teams is a dependency');
    assert.equal(reply.data.baseData.name, 'POST /v3/conversations/:id/activities/:id', 'ids are not in the name');
    assert.match(reply.data.baseData.resultCode, /^20[01]$/);
    assert.equal(reply.data.baseData.success, true);
  });

  it('a turn the store fails is a failed request, its exception and its error log line in the same operation', () => {
    const failed = requestNamed('turn message showDeal');
    assert.equal(failed.data.baseData.success, false);
    assert.equal(props(failed)['dealdesk.outcome'], 'failed');
    const [exception, ...more] = childrenOf(failed, 'Exception');
    assert.ok(exception, 'the failure is an exception of the turn');
    assert.equal(more.length, 0, 'one exception for one failure');
    assert.equal(ingestion.of('Exception').length, 1, 'and none for answers such as a 404 on a read of someone not yet known');
    assert.ok(exception.data.baseData.exceptions[0].hasFullStack);
    const unavailable = childrenOf(failed, 'RemoteDependency').filter((d) => d.data.baseData.type === 'cosmosdb' && d.data.baseData.success === false);
    assert.ok(unavailable.length > 0, 'the failing Cosmos DB calls are failed dependencies');
    assert.equal(props(unavailable[0])['db.cosmosdb.status_code'], '503');
    const logged = childrenOf(failed, 'Message').find((m) => m.data.baseData.message === 'unexpected error while handling a turn');
    assert.ok(logged, "the error log line is in the turn's operation");
    assert.equal(logged.data.baseData.severityLevel, 'Error');
  });

  it("log lines carry their operation: each turn's line is under its request", () => {
    for (const name of ['turn message help', 'turn invoke deal.create', 'turn message move', 'turn message showDeal']) {
      const lines = childrenOf(requestNamed(name), 'Message').filter((m) => m.data.baseData.message === 'turn');
      assert.equal(lines.length, 1, `the turn line of "${name}"`);
      assert.equal(lines[0].data.baseData.severityLevel, 'Information');
    }
  });

  it('a refusal at the edge is a request with its status, and its one log line says why', () => {
    assert.equal(said.refused, '400');
    const refused = ingestion.of('Request').find((e) => e.data.baseData.name === 'POST /api/messages' && e.data.baseData.responseCode === '400');
    assert.ok(refused, 'the refused POST is a request');
    assert.equal(refused.data.baseData.success, false);
    assert.equal(props(refused)['dealdesk.refusal'], 'not_an_activity');
    const lines = childrenOf(refused, 'Message');
    assert.deepEqual(lines.map((m) => [m.data.baseData.message, m.data.baseData.severityLevel, props(m).reason]), [['request refused: not an activity', 'Warning', 'not_an_activity']]);
  });

  it('a proactive delivery is an operation of its own, its Bot Connector send a dependency of it', () => {
    const deliveries = ingestion.of('Request').filter((e) => e.data.baseData.name === 'deliver alert' && props(e)['dealdesk.delivery.state'] === 'sent');
    assert.ok(deliveries.length > 0, ingestion.of('Request').map((e) => e.data.baseData.name).join(', '));
    assert.equal(parentOf(deliveries[0]), undefined, 'not part of the turn that queued it, even when that turn woke the delivery loop');
    const send = childrenOf(deliveries[0], 'RemoteDependency').find((d) => d.data.baseData.type === 'Http');
    assert.ok(send, 'the send to Teams is a dependency of the delivery');
    assert.equal(send.data.baseData.name, 'POST /v3/conversations/:id/activities');
    assert.ok(childrenOf(deliveries[0], 'RemoteDependency').some((d) => d.data.baseData.name === 'cosmos replace deliveries-v2'), 'its claim and its record');
    const dispatch = ingestion.of('Request').find((e) => e.data.baseData.name === 'dispatch alerts' && props(e)['dealdesk.dispatched'] === '1');
    assert.ok(dispatch, 'the fan-out too');
    assert.ok(childrenOf(dispatch, 'RemoteDependency').some((d) => d.data.baseData.name === 'cosmos create deliveries-v2'));
  });

  it('scheduled jobs are operations of their own', () => {
    const jobs = ingestion.of('Request').filter((e) => /^job (digest|nudge)$/.test(e.data.baseData.name));
    assert.ok(jobs.some((j) => props(j)['dealdesk.job.outcome'] === 'ran'), ingestion.of('Request').map((e) => e.data.baseData.name).join(', '));
    assert.ok(jobs.every((j) => parentOf(j) === undefined));
  });

  it('no message text, card data or deal title reaches Application Insights', () => {
    assert.ok(ingestion.bodies.length > 0);
    const sent = ingestion.bodies.join('\n');
    for (const secret of SECRETS) assert.ok(!sent.includes(secret), `${secret} was sent to Application Insights`);
    assert.ok(!sent.includes('Contoso Bank'), 'no account name either');
  });
});
