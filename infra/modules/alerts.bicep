// Alert rules on what DealDesk emits, each threshold explained in infra/README.md ("Alerts"):
//   /readyz failing       metric alert on the web app's Health check status (App Service pings /readyz)
//   deliveries failing    log alert on dealdesk_alerts_total{outcome="failed"} against all finished deliveries
//   Teams 429s            log alert on dealdesk_teams_throttled_total
//   scheduler lag         log alert on dealdesk_scheduler_lag_ms (its largest value)
//   Cosmos DB 429s        log alert on dealdesk_cosmos_throttled_total against dealdesk_cosmos_requests_total
// The log alerts query the customMetrics table of Application Insights, where DealDesk's metrics arrive under
// their own names (src/metrics/metrics.ts; counters as deltas, so sum(valueSum) counts in a window).
// KQL strings below use double quotes only.

param namePrefix string
param location string
param tags object

@description('The Application Insights resource DealDesk exports to.')
param appInsightsId string

@description('The web app whose health check pings /readyz.')
param webAppName string

@description('Who is told when an alert fires (e-mail); empty: the rules fire into the action group with no receiver.')
param alertEmail string = ''

resource site 'Microsoft.Web/sites@2023-12-01' existing = {
  name: webAppName
}

resource onCall 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'dealdesk'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [ { name: 'on-call', emailAddress: alertEmail, useCommonAlertSchema: true } ]
  }
}

resource readyzFailing 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-${namePrefix}-readyz'
  location: 'global'
  tags: tags
  properties: {
    description: '/readyz failing: the store unreachable, a background loop stalled, or the process stopping. Threshold: infra/README.md.'
    severity: 1
    enabled: true
    scopes: [ site.id ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT10M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'readyz'
          metricNamespace: 'Microsoft.Web/sites'
          metricName: 'HealthCheckStatus'
          operator: 'LessThan'
          threshold: 80
          timeAggregation: 'Average'
        }
      ]
    }
    actions: [ { actionGroupId: onCall.id } ]
  }
}

var logAlertRules = [
  {
    name: 'deliveries-failing'
    description: 'More than 5 % of the alert and notice deliveries that finished in 30 minutes failed (at least 20 finished).'
    severity: 2
    windowSize: 'PT30M'
    evaluationFrequency: 'PT15M'
    metricMeasureColumn: 'failedPercent'
    threshold: 5
    query: '''
customMetrics
| where name == "dealdesk_alerts_total"
| extend outcome = tostring(customDimensions.outcome)
| summarize failed = sumif(valueSum, outcome == "failed"), finished = sumif(valueSum, outcome in ("sent", "failed"))
| where finished >= 20
| project failedPercent = 100.0 * failed / finished
'''
  }
  {
    name: 'teams-throttling'
    description: 'Teams answered more than 30 Bot Connector requests with 429 in 15 minutes (2 a minute, sustained).'
    severity: 3
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    metricMeasureColumn: 'throttled'
    threshold: 30
    query: '''
customMetrics
| where name == "dealdesk_teams_throttled_total"
| summarize throttled = sum(valueSum)
'''
  }
  {
    name: 'scheduler-lag'
    description: 'A scheduled job (digest, nudge) ran more than 10 minutes after it fell due.'
    severity: 2
    windowSize: 'PT30M'
    evaluationFrequency: 'PT15M'
    metricMeasureColumn: 'lagMinutes'
    threshold: 10
    query: '''
customMetrics
| where name == "dealdesk_scheduler_lag_ms"
| summarize lagMinutes = max(valueMax) / 60000.0
'''
  }
  {
    name: 'cosmos-throttling'
    description: 'More than 2 % of the Cosmos DB requests in 15 minutes were answered 429 (at least 50 of them).'
    severity: 2
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    metricMeasureColumn: 'throttledPercent'
    threshold: 2
    query: '''
customMetrics
| where name in ("dealdesk_cosmos_throttled_total", "dealdesk_cosmos_requests_total")
| summarize throttled = sumif(valueSum, name == "dealdesk_cosmos_throttled_total"), requests = sumif(valueSum, name == "dealdesk_cosmos_requests_total")
| where throttled >= 50
| project throttledPercent = 100.0 * throttled / requests
'''
  }
]

resource logAlerts 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for rule in logAlertRules: {
  name: 'alert-${namePrefix}-${rule.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'DealDesk: ${rule.name}'
    description: '${rule.description} Threshold: infra/README.md.'
    severity: rule.severity
    enabled: true
    scopes: [ appInsightsId ]
    evaluationFrequency: rule.evaluationFrequency
    windowSize: rule.windowSize
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: 'Maximum'
          metricMeasureColumn: rule.metricMeasureColumn
          operator: 'GreaterThan'
          threshold: rule.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [ onCall.id ] }
  }
}]

output actionGroupId string = onCall.id
