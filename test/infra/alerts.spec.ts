import assert from 'node:assert/strict';
import { registry } from '../../src/metrics/metrics';
import { entriesOf, literal, multiline, objectsOf, readInfra, resourceBody, resourcesOf, varArray, withoutComments } from './bicep-text';

const ALERTS = 'modules/alerts.bicep';
/** The log alert rules, each with its fields as written. */
const logRules = () => objectsOf(varArray(readInfra(ALERTS), 'logAlertRules')).map((o) => entriesOf(o));
const metricNames = new Set(registry.list().map((i) => i.name));

/**
 * infra/ declares an alert rule for each way DealDesk can be failing without anyone seeing it: /readyz failing,
 * deliveries failing, Teams 429s, scheduler lag, Cosmos DB 429s. Each names a metric DealDesk really emits (or the
 * web app's health check of /readyz), notifies the action group, and has its threshold explained in infra/README.md.
 */
describe('infra: alert rules on what DealDesk emits', () => {
  it('the alerts module is deployed with the Application Insights resource, the web app and the on-call e-mail', () => {
    const main = withoutComments(readInfra('main.bicep'));
    assert.match(main, /^module alerts 'modules\/alerts\.bicep' = \{/m);
    assert.match(main, /appInsightsId: monitoring\.outputs\.appInsightsId/);
    assert.match(main, /webAppName: web\.outputs\.name/);
    assert.match(main, /alertEmail: alertEmail/);
    assert.match(withoutComments(readInfra('modules/monitoring.bicep')), /^output appInsightsId string = appInsights\.id$/m);
    assert.deepEqual([...resourcesOf(readInfra(ALERTS)).values()].sort(), [
      'Microsoft.Insights/actionGroups', 'Microsoft.Insights/metricAlerts', 'Microsoft.Insights/scheduledQueryRules', 'Microsoft.Web/sites',
    ]);
  });

  it('/readyz failing: a metric alert on the web app whose health check pings /readyz', () => {
    const rule = resourceBody(readInfra(ALERTS), 'readyzFailing');
    assert.match(rule, /scopes: \[ site\.id \]/);
    assert.match(rule, /metricNamespace: 'Microsoft\.Web\/sites'/);
    assert.match(rule, /metricName: 'HealthCheckStatus'/);
    assert.match(rule, /operator: 'LessThan'/);
    assert.match(rule, /threshold: 80\b/);
    assert.match(rule, /actions: \[ \{ actionGroupId: onCall\.id \} \]/);
    assert.match(readInfra('modules/web-app.bicep'), /healthCheckPath: '\/readyz'/, 'the health check App Service runs is /readyz');
  });

  it('the log alerts: deliveries failing, Teams 429s, scheduler lag, Cosmos DB 429s, each on metrics DealDesk emits', () => {
    const rules = logRules();
    const byName = new Map(rules.map((r) => [literal(r.get('name')!)!, r]));
    const expected: Record<string, string[]> = {
      'deliveries-failing': ['dealdesk_alerts_total'],
      'teams-throttling': ['dealdesk_teams_throttled_total'],
      'scheduler-lag': ['dealdesk_scheduler_lag_ms'],
      'cosmos-throttling': ['dealdesk_cosmos_throttled_total', 'dealdesk_cosmos_requests_total'],
    };
    assert.deepEqual([...byName.keys()].sort(), Object.keys(expected).sort());
    for (const [name, metrics] of Object.entries(expected)) {
      const rule = byName.get(name)!;
      const query = multiline(rule.get('query')!);
      assert.ok(query, `${name}: a KQL query`);
      assert.ok(!query.includes("'"), `${name}: KQL strings in double quotes (the Bicep string is single-quoted)`);
      const named = [...query.matchAll(/"(dealdesk_[a-z_]+)"/g)].map((m) => m[1]!);
      assert.deepEqual([...new Set(named)].sort(), [...metrics].sort(), `${name} queries ${named.join(', ')}`);
      for (const metric of named) assert.ok(metricNames.has(metric), `${name}: DealDesk emits no metric ${metric}`);
      assert.match(query, /^customMetrics\n/, `${name}: reads Application Insights' customMetrics`);
      const column = literal(rule.get('metricMeasureColumn')!)!;
      assert.match(query, new RegExp(`\\b${column} = `), `${name}: the query computes ${column}`);
      assert.match(rule.get('threshold')!, /^\d+(\.\d+)?$/);
      assert.match(literal(rule.get('windowSize')!)!, /^PT\d+M$/);
    }
    const resource = resourceBody(readInfra(ALERTS), 'logAlerts');
    assert.match(resource, /scopes: \[ appInsightsId \]/);
    assert.match(resource, /query: rule\.query/);
    assert.match(resource, /metricMeasureColumn: rule\.metricMeasureColumn/);
    assert.match(resource, /threshold: rule\.threshold/);
    assert.match(resource, /actions: \{ actionGroups: \[ onCall\.id \] \}/);
  });

  it('infra/README.md explains each rule and its threshold', () => {
    const readme = readInfra('README.md');
    const section = readme.slice(readme.indexOf('## Alerts'));
    assert.ok(readme.includes('## Alerts'), 'an "Alerts" section');
    assert.match(section, /HealthCheckStatus[^\n]*80/, '/readyz: the health check rule and its 80 %');
    for (const rule of logRules()) {
      const name = literal(rule.get('name')!)!;
      const line = section.split('\n').find((l) => l.includes(`\`${name}\``));
      assert.ok(line, `README names ${name}`);
      assert.ok(line.includes(rule.get('threshold')!), `README gives ${name}'s threshold ${rule.get('threshold')}`);
    }
  });
});
