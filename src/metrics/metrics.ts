import { Registry } from './registry';

/**
 * DealDesk's metrics, one registry per process (several instances in one test process share it).
 * Every label value comes from a fixed vocabulary: never user text, ids or tenant names.
 */
export const registry = new Registry();

const MS_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;
const LAG_BUCKETS = [100, 1000, 5000, 15_000, 30_000, 60_000, 120_000, 300_000, 900_000, 3_600_000] as const;

export const metrics = {
  /** type: message | invoke | installationUpdate | conversationUpdate | other; outcome: ok | a domain error code | failed */
  turns: registry.counter('dealdesk_turns_total', 'Bot turns by activity type and outcome'),
  turnMs: registry.histogram('dealdesk_turn_duration_ms', 'Bot turn duration in milliseconds', MS_BUCKETS),
  /** verb: a known card verb or "unknown" */
  cardActions: registry.counter('dealdesk_card_actions_total', 'Card button presses by verb and outcome'),
  /** outcome: sent | throttled | failed (a final failure) | blocked (by the user) | notInstalled (the app is not there) */
  alerts: registry.counter('dealdesk_alerts_total', 'Proactive deliveries (alerts and notices) by outcome'),
  sendLatencyMs: registry.histogram('dealdesk_delivery_latency_ms', 'From a delivery being queued to it being sent, in milliseconds', LAG_BUCKETS),
  schedulerLagMs: registry.histogram('dealdesk_scheduler_lag_ms', 'How late a scheduled job ran after it fell due, in milliseconds', LAG_BUCKETS),
  /** status: the HTTP status class (2xx, 4xx, 5xx) or "error" (no response) */
  cosmosRequests: registry.counter('dealdesk_cosmos_requests_total', 'Requests to Cosmos DB by status class'),
  cosmosThrottled: registry.counter('dealdesk_cosmos_throttled_total', 'Cosmos DB requests answered 429 (request rate too large)'),
  /** status: the HTTP status class (2xx, 4xx, 5xx) or "error" (no response); every Bot Connector request, retries included */
  teamsRequests: registry.counter('dealdesk_teams_requests_total', 'Requests to the Bot Connector (Teams) by status class'),
  teamsThrottled: registry.counter('dealdesk_teams_throttled_total', 'Bot Connector (Teams) requests answered 429 (too many requests)'),
  /** status: the HTTP status class (2xx, 4xx, 5xx) or "error" (no response); every Microsoft Graph request, retries included */
  graphRequests: registry.counter('dealdesk_graph_requests_total', 'Requests to Microsoft Graph (Entra ID) by status class'),
  graphThrottled: registry.counter('dealdesk_graph_throttled_total', 'Microsoft Graph requests answered 429 (too many requests)'),
  /**
   * status: 401, 403, 404, 412 and 429 as themselves (a token refused, a privilege missing, a record gone, a record
   * changed meanwhile, service protection limits), any other answer by class (2xx, 4xx, 5xx), or "error" (no answer)
   */
  dataverseRequests: registry.counter('dealdesk_dataverse_requests_total', 'Requests to Dynamics 365 (Dataverse Web API) by status'),
  /** The instances sharing the Teams send budget of the tenant this instance last renewed it in (send-budget.ts). */
  sendBudgetInstances: registry.gauge('dealdesk_send_budget_instances', 'DealDesk instances sharing the Teams send budget (per app per tenant)'),
  /** This instance's share of that budget, sends per second; 0 while it waits to join or its membership lapsed. */
  sendBudgetShare: registry.gauge('dealdesk_send_budget_share_per_second', "This instance's share of the Teams send budget, sends per second"),
  /** prompt: update | summary; outcome: ok | invalidJson | invalidAnswer | throttled | timeout | tooLong | error (all but ok: the offline answer was given) */
  assistantModel: registry.counter('dealdesk_assistant_model_total', 'Language-model calls of the assistant by prompt and outcome'),
  /** route: the path (or "upgrade", "other"); status: the HTTP status; reason: a fixed word (src/http/refusals.ts) or the webhook's error code */
  httpRefusals: registry.counter('dealdesk_http_refusals_total', 'Requests the HTTP edge refused (4xx), by route, status and reason'),
};

/** The delivery worker's hooks (src/notify). */
export const recordDelivery = (outcome: 'sent' | 'throttled' | 'failed' | 'blocked' | 'notInstalled', queuedAt?: string, sentAtMs?: number): void => {
  metrics.alerts.inc({ outcome });
  if (outcome === 'sent' && queuedAt && sentAtMs !== undefined) metrics.sendLatencyMs.observe(Math.max(0, sentAtMs - Date.parse(queuedAt)));
};

/** The send budget's hook (src/notify/shared-budget.ts). */
export const recordSendBudget = (instances: number, sharePerSecond: number): void => {
  metrics.sendBudgetInstances.set(instances);
  metrics.sendBudgetShare.set(sharePerSecond);
};

/** The scheduler's hook (src/scheduler). */
export const recordSchedulerLag = (lagMs: number): void => metrics.schedulerLagMs.observe(Math.max(0, lagMs));

/** Counts Cosmos requests: the composition root (open-store.ts) gives it to the store as its `onRequest` hook, so the store knows nothing of metrics. */
export const recordCosmosRequest = (statusCode: number | undefined): void => {
  metrics.cosmosRequests.inc({ status: statusCode ? `${Math.floor(statusCode / 100)}xx` : 'error' });
  if (statusCode === 429) metrics.cosmosThrottled.inc();
};

/** The Bot Connector calls' hook (src/bot/connector-calls.ts). */
export const recordTeamsRequest = (statusCode: number | undefined): void => {
  metrics.teamsRequests.inc({ status: statusCode ? `${Math.floor(statusCode / 100)}xx` : 'error' });
  if (statusCode === 429) metrics.teamsThrottled.inc();
};

/** The Microsoft Graph client's hook (src/graph): every request, retries included. */
export const recordGraphRequest = (statusCode: number | undefined): void => {
  metrics.graphRequests.inc({ status: statusCode ? `${Math.floor(statusCode / 100)}xx` : 'error' });
  if (statusCode === 429) metrics.graphThrottled.inc();
};

const crmMetrics = {
  /** target: webhook | dataverse; outcome: sent | retrying | failed (a final failure) */
  events: registry.counter('dealdesk_crm_events_total', 'Outbound CRM event sends by target and outcome'),
  /** Sends the CRM answered 429 (its service protection limits). */
  throttled: registry.counter('dealdesk_crm_throttled_total', 'Outbound CRM sends answered 429 (throttled), by target'),
  /** Sends the CRM answered 401 or 403 (the token or the permissions). */
  authFailures: registry.counter('dealdesk_crm_auth_failures_total', 'Outbound CRM sends answered 401 or 403, by target'),
};

/** The CRM dispatcher's hook (src/crm). */
export const recordCrmSend = (target: string, outcome: 'sent' | 'retrying' | 'failed', status?: number): void => {
  crmMetrics.events.inc({ target, outcome });
  if (status === 429) crmMetrics.throttled.inc({ target });
  if (status === 401 || status === 403) crmMetrics.authFailures.inc({ target });
};

/** Dataverse answers counted by their own status: each asks for something different (src/crm/dataverse). */
const DATAVERSE_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 412, 429]);

/** The Dataverse client's hook (src/crm/dataverse): every request, the fresh-token retry included. */
export const recordDataverseRequest = (statusCode: number | undefined): void => {
  metrics.dataverseRequests.inc({ status: statusCode === undefined ? 'error' : DATAVERSE_STATUSES.has(statusCode) ? String(statusCode) : `${Math.floor(statusCode / 100)}xx` });
};

/** The assistant's model readers' hook (src/bot/assistant): one count per call, by what came of it. */
export const recordAssistantModel = (prompt: 'update' | 'summary', outcome: string): void => metrics.assistantModel.inc({ prompt, outcome });
