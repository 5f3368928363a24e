import { z } from 'zod';
import type { AppSettings } from './app/context';
import { DEFAULT_NOTIFY_CONFIG, type NotifyConfig, type WindowLimit } from './notify/notify-config';
import { DEFAULT_MESSAGE_RETENTION_DAYS } from './domain/outgoing-message';
import { isTimeZone } from './domain/zoned-time';
import { DEAL_VISIBILITIES } from './domain/deal-visibility';
import { contradiction, LOOPBACK } from './config-combinations';
import type { ServerTimeouts } from './http/server-timeouts';
import { LOCAL_USER_KEYS, type LocalUserKey } from './local-user-keys';
import { type FieldOwnership, parseFieldOwnership } from './crm/field-ownership';

/** A configuration mistake: start-up stops with one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DURATION = /^(\d+)(ms|s|m|h|d)$|^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

const flag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  COSMOS_ENDPOINT: z.string().url().optional(),
  COSMOS_KEY: z.string().optional(),
  COSMOS_DATABASE: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/).default('dealdesk'),
  AZURE_CLIENT_ID: z.string().optional(),
  /** Default `.data`, or `.data-demo` with DEMO on (so the demo never lands in the everyday data directory). */
  DATA_DIR: z.string().min(1).optional(),
  PLAYGROUND: flag.default('on'),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  /** One playground per local user, on PLAYGROUND_PORT, +1, +2…: first names of the playground's users. */
  PLAYGROUND_USERS: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim().toLowerCase()).filter(Boolean))
    .pipe(
      z
        .array(z.enum(LOCAL_USER_KEYS, { errorMap: () => ({ message: `first names of the playground's users: ${LOCAL_USER_KEYS.join(', ')}` }) }))
        .min(1, `at least one of ${LOCAL_USER_KEYS.join(', ')}`)
        .refine((keys) => new Set(keys).size === keys.length, 'each user once'),
    )
    .default('alex,megan'),
  /** `npm start -- --demo`: local mode on a seeded demo tenant (a fresh data directory only). */
  DEMO: flag.default('off'),
  MAX_BODY_KB: z.coerce.number().int().min(16).max(4096).default(256),
  /** Keep-alive must outlast the idle timeout of the front end before DealDesk (src/http/server-timeouts.ts). */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(250_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(20_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
  ADMINS: z.string().optional(),
  /** Who may read a deal: everyone in the tenant, or only its owner, team, owner's managers, approvers and admins. */
  DEAL_VISIBILITY: z.enum(DEAL_VISIBILITIES, { errorMap: () => ({ message: 'tenant (everyone in the tenant may read every deal) or team (the owner, the deal team, the owner\'s managers, the deal\'s approvers and admins)' }) }).default('tenant'),
  ALERT_COALESCE_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  TEAMS_APP_RPS: z.coerce.number().int().min(1).max(10_000).default(50),
  TEAMS_CONVERSATION_LIMITS: z.string().regex(/^\s*\d+\/\d+(ms|s|m|h)(\s*,\s*\d+\/\d+(ms|s|m|h))*\s*$/, 'a list like 7/1s,8/2s,60/30s,1800/1h').default('7/1s,8/2s,60/30s,1800/1h'),
  DELIVERY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Instances share each tenant's Teams budget through a membership renewed every third of this (src/notify/send-budget.ts). */
  SEND_BUDGET_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  NOTIFY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** A finished delivery (sent, failed, blocked, not installed) expires this many days after it ended (Cosmos `ttl`). */
  DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_MESSAGE_RETENTION_DAYS),
  WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'at least 16 characters').optional()),
  WEBHOOK_TENANT_ID: z.string().optional(),
  COSMOS_EMULATOR: flag.default('off'),
  APPROVAL_REMIND_AFTER: z.string().regex(DURATION, 'a duration like 24h, 90m, 2d or PT24H').default('24h'),
  APPROVAL_ESCALATE_AFTER: z.string().regex(DURATION, 'a duration like 48h, 90m, 2d or PT48H').default('48h'),
  DEALDESK_CLOCK: z.enum(['system', 'manual']).default('system'),
  ALLOWED_TENANTS: z.string().max(10_000).optional(),
  BOT_OPENID_METADATA_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  DEFAULT_TIMEZONE: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London or America/New_York').default('UTC'),
  DIGEST_WEEKDAY: z.coerce.number().int().min(1, '1 (Monday) to 7 (Sunday)').max(7, '1 (Monday) to 7 (Sunday)').default(1),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  NUDGE_HOUR: z.coerce.number().int().min(0).max(23).default(9),
  STALE_AFTER_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  FISCAL_YEAR_START_MONTH: z.coerce.number().int().min(1).max(12).default(7),
  SCHEDULER_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  JOB_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /** GET /metrics in Prometheus text; default: on in local mode (loopback only), off with authentication on. */
  METRICS: z.preprocess((v) => (v === '' ? undefined : v), flag.optional()),
  /** Set: metrics go through OpenTelemetry to Application Insights (the exporter is loaded only then). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** Read by the Teams app package (manifest/), not by the running bot: where DealDesk is reachable. */
  DEALDESK_PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** Read by the Teams app package (manifest/): the Teams app's own id, one per environment. */
  TEAMS_APP_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(GUID, 'a GUID, generated once per environment').optional()),
  /** on: people lookups, managers, installs and ADMIN_GROUP_ID use Microsoft Graph (Entra ID), with the bot's own identity. */
  GRAPH: flag.default('off'),
  GRAPH_URL: z.string().url().refine((u) => /^https:/i.test(u) || LOOPBACK.test(new URL(u).hostname), 'an https:// URL (http:// only on this machine, for tests)').default('https://graph.microsoft.com/v1.0'),
  /** Each Graph call, retries included, ends within this (a turn may make three: within the ~15 s Teams gives an invoke). */
  GRAPH_DEADLINE_MS: z.coerce.number().int().min(100).max(5000).default(3000),
  /** The id DealDesk's app has in the organisation's Teams app catalog (installs bind it); unset: looked up by TEAMS_APP_ID. */
  TEAMS_CATALOG_APP_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(GUID, "the app's id in the Teams app catalog (a GUID, Teams admin center → Manage apps → DealDesk)").optional()),
  /** An Entra group whose members are DealDesk admins, besides ADMINS. */
  ADMIN_GROUP_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(GUID, "the group's object id (a GUID)").optional()),
  /** Outbound CRM sync (issue 19): every deal change is POSTed here, signed with CRM_WEBHOOK_SECRET (docs/webhook.md). */
  CRM_WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().refine((u) => /^https:/i.test(u) || LOOPBACK.test(new URL(u).hostname), 'an https:// URL (http:// only on this machine, for tests)').optional()),
  CRM_WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'at least 16 characters').optional()),
  /** How many times a CRM event is tried before it counts as failed (its owner is then told). */
  CRM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** How long an instance's claim on a deal's CRM events lasts (ms): one instance sends them meanwhile; a dead one's claim lapses after it. */
  CRM_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** Dynamics 365 Sales (Dataverse Web API), Azure mode only: the environment's root; deals go out to its opportunities and its changes come in. */
  DATAVERSE_URL: z.string().url().refine((u) => /^https:/i.test(u) || LOOPBACK.test(new URL(u).hostname), 'an https:// URL such as https://contoso.crm4.dynamics.com (http:// only on this machine, for tests)').optional(),
  /** Each Dataverse request (with its one fresh-token retry) ends within this. */
  DATAVERSE_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  /** on: an account not found by name in Dataverse is created there; off: the opportunity's account is left unset. */
  DATAVERSE_CREATE_ACCOUNTS: flag.default('off'),
  /** Who masters each synced field (src/crm/field-ownership.ts): `value=crm, stage=lww`; the rest keep the defaults. */
  CRM_FIELD_OWNERS: z.string().max(1000).optional(),
  /** How often the change poller asks Dataverse for changes (ms). */
  DATAVERSE_POLL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** How long the change poll's lease holds unless renewed (ms); the holder keeps it one poll interval plus this after a round. */
  DATAVERSE_POLL_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** The Teams tenant the environment's deals belong to; default the bot's own (MicrosoftAppTenantId). */
  DATAVERSE_TENANT_ID: z.string().regex(GUID, "the Teams tenant's id (a GUID)").optional(),
  /** Azure OpenAI (issue 21): with these, update messages and summaries go through the model; without, offline only. */
  AZURE_OPENAI_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().refine((u) => /^https:/i.test(u), 'an https:// URL, e.g. https://contoso-openai.openai.azure.com/').optional()),
  AZURE_OPENAI_DEPLOYMENT: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "the deployment's name (letters, digits, . _ -)").optional()),
  AZURE_OPENAI_API_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** key (AZURE_OPENAI_API_KEY, the default) or managed-identity (a token for Cognitive Services, AZURE_CLIENT_ID's identity when set). */
  AZURE_OPENAI_AUTH: z.enum(['key', 'managed-identity']).optional(),
  /** A model call, a Retry-After wait included, ends within this; then the offline reader answers (the turn goes on). */
  AZURE_OPENAI_DEADLINE_MS: z.coerce.number().int().min(500).max(10_000).default(4000),
  /** @azure/identity's own setting (it reads it too): the token authority for another cloud, or a test's token endpoint. */
  AZURE_AUTHORITY_HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
});

/** Every environment variable DealDesk reads (infra sets them in Azure; test/infra checks it). */
export const CONFIG_VARIABLES = Object.keys(Env.shape) as ReadonlyArray<keyof typeof Env.shape>;

/** "24h", "90m", "2d", "PT24H", "P1DT12H" → milliseconds. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text.trim())!;
  if (m[1]) return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as Record<string, number>)[m[2].toLowerCase()];
  const [d, h, min, s] = [m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0));
  return ((d * 24 + h) * 60 + min) * 60_000 + s * 1000;
}

/** One POST to CRM_WEBHOOK_URL, answer included. */
export const CRM_WEBHOOK_TIMEOUT_MS = 10_000;
/**
 * One send to Dynamics 365 may take this many Dataverse requests of DATAVERSE_TIMEOUT_MS each: a close is four (read,
 * write, the action, read again). The dispatcher starts no send that could outlast its claim (CRM_LEASE_MS).
 */
export const DATAVERSE_REQUESTS_PER_SEND = 4;

/** The playground's current user (Alex Wilber): an admin in local mode unless ADMINS says otherwise. */
export const LOCAL_ADMIN = '00000000-0000-0000-0000-0000000000020';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "7/1s,60/30s" → [{ max: 7, windowMs: 1000 }, { max: 60, windowMs: 30000 }] */
const parseLimits = (text: string): WindowLimit[] =>
  text.split(',').map((part) => {
    const [, max, n, unit] = /(\d+)\/(\d+)(ms|s|m|h)/.exec(part.trim())!;
    return { max: Number(max), windowMs: Number(n) * UNIT_MS[unit] };
  });

/** The longest one CRM send may take: the webhook's one POST, or Dynamics 365's requests (DATAVERSE_REQUESTS_PER_SEND). */
function crmSendTimeoutMs(e: z.infer<typeof Env>): number {
  return e.DATAVERSE_URL && !e.CRM_WEBHOOK_URL ? DATAVERSE_REQUESTS_PER_SEND * e.DATAVERSE_TIMEOUT_MS : CRM_WEBHOOK_TIMEOUT_MS;
}

export type Config = Readonly<{
  port: number;
  host: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** Inbound Bot Framework authentication; off only when no app id is configured (local mode). */
  auth: Readonly<{ appId: string; appType: string; tenantId: string; password: string; openIdMetadataUrl?: string }> | undefined;
  /** Azure Cosmos DB, or undefined for the embedded local store. */
  cosmos: Readonly<{ endpoint: string; key?: string; managedIdentityClientId?: string; database: string; emulator: boolean }> | { embedded: true; database: string };
  dataDir: string;
  /** One playground per user, on `port`, `port + 1`, … in this order. */
  playground: Readonly<{ enabled: boolean; port: number; users: readonly LocalUserKey[] }>;
  /** Local mode on a seeded demo tenant (src/demo). */
  demo: boolean;
  maxBodyBytes: number;
  /** The HTTP server's keep-alive, header and request timeouts. */
  httpTimeouts: Readonly<ServerTimeouts>;
  settings: AppSettings;
  notify: Omit<NotifyConfig, 'instanceId'>;
  /** The scheduler's rounds, its job leases, and whether time is the manual dev clock (local mode only). */
  scheduler: Readonly<{ pollMs: number; leaseMs: number; manualClock: boolean }>;
  webhook: Readonly<{ secret?: string; defaultTenantId?: string }>;
  /** GET /metrics (Prometheus text) on or off, and the Application Insights export when a connection string is set. */
  metrics: Readonly<{ prometheus: boolean; applicationInsights?: string }>;
  /** Microsoft Graph (GRAPH=on, Azure mode only): where, how long a call may take, the token authority, the Teams app to install. */
  graph?: Readonly<{ url: string; deadlineMs: number; authorityHost?: string; teamsAppId?: string; catalogAppId?: string }>;
  /** Outbound CRM sync: the generic signed webhook when set (src/crm/crm-target-of.ts picks the target), and the retry rules. */
  crm: Readonly<{ webhook?: Readonly<{ url: string; secret: string; timeoutMs: number }>; maxAttempts: number; baseBackoffMs: number; maxBackoffMs: number; leaseMs: number; sendTimeoutMs: number }>;
  /** Dynamics 365 (DATAVERSE_URL, Azure mode only): where, how long a request may take, accounts, field ownership, polling, the deals' tenant. */
  dataverse?: Readonly<{ url: string; timeoutMs: number; createAccounts: boolean; fieldOwnership: FieldOwnership; pollMs: number; pollLeaseMs: number; tenantId: string; authorityHost?: string }>;
  /** Azure OpenAI for the assistant (AZURE_OPENAI_ENDPOINT set): where, which deployment, how DealDesk signs in, how long a call may take. */
  assistantModel?: AssistantModelConfig;
}>;

export type AssistantModelConfig = Readonly<{
  endpoint: string;
  deployment: string;
  auth: Readonly<{ kind: 'key'; apiKey: string }> | Readonly<{ kind: 'managed-identity'; clientId?: string }>;
  deadlineMs: number;
}>;

/**
 * Parses the environment once into a frozen config; any mistake throws a ConfigError naming the variable, and any
 * combination that makes no sense (config-combinations.ts) one naming the variables.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value is no value (a copied .env.example leaves most of them empty), except ADMINS= (nobody is an admin).
  const given = Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && (value !== '' || name === 'ADMINS')));
  const parsed = Env.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.BOT_OPENID_METADATA_URL && !LOOPBACK.test(new URL(e.BOT_OPENID_METADATA_URL).hostname)) {
    throw new ConfigError('BOT_OPENID_METADATA_URL: for tests only, on this machine (a loopback URL); in Azure the Bot Framework\'s own metadata is used');
  }
  const allowedTenants = e.ALLOWED_TENANTS?.trim() ? e.ALLOWED_TENANTS.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean) : undefined;
  const approvalTiming = { remindAfterMs: durationMs(e.APPROVAL_REMIND_AFTER), escalateAfterMs: durationMs(e.APPROVAL_ESCALATE_AFTER) };
  const mistake = contradiction({
    given: (name) => name in given && given[name] !== '',
    appType: e.MicrosoftAppType,
    host: e.HOST,
    cosmosEndpoint: e.COSMOS_ENDPOINT,
    emulator: e.COSMOS_EMULATOR,
    playground: e.PLAYGROUND,
    playgroundPorts: e.PLAYGROUND_PORT + e.PLAYGROUND_USERS.length - 1,
    demo: e.DEMO,
    manualClock: e.DEALDESK_CLOCK === 'manual',
    webhookTenantId: e.WEBHOOK_TENANT_ID,
    allowedTenants,
    ...approvalTiming,
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    graph: e.GRAPH,
    dataverseTenantId: e.DATAVERSE_TENANT_ID,
    crmLeaseMs: e.CRM_LEASE_MS,
    crmSendTimeoutMs: crmSendTimeoutMs(e),
    dataverseTimeoutMs: e.DATAVERSE_TIMEOUT_MS,
    dataversePollLeaseMs: e.DATAVERSE_POLL_LEASE_MS,
    openAIAuth: e.AZURE_OPENAI_AUTH,
  });
  if (mistake) throw new ConfigError(mistake);
  let fieldOwnership: FieldOwnership;
  try {
    fieldOwnership = parseFieldOwnership(e.CRM_FIELD_OWNERS);
  } catch (error) {
    throw new ConfigError(`CRM_FIELD_OWNERS: ${(error as Error).message}`);
  }
  const auth = e.MicrosoftAppId
    ? { appId: e.MicrosoftAppId, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId, password: e.MicrosoftAppPassword, ...(e.BOT_OPENID_METADATA_URL ? { openIdMetadataUrl: e.BOT_OPENID_METADATA_URL } : {}) }
    : undefined;
  const cosmos = e.COSMOS_ENDPOINT
    ? { endpoint: e.COSMOS_ENDPOINT, key: e.COSMOS_KEY || undefined, managedIdentityClientId: e.AZURE_CLIENT_ID, database: e.COSMOS_DATABASE, emulator: e.COSMOS_EMULATOR }
    : ({ embedded: true, database: e.COSMOS_DATABASE } as const);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    auth: auth && Object.freeze(auth),
    cosmos: Object.freeze(cosmos),
    dataDir: e.DATA_DIR ?? (e.DEMO ? '.data-demo' : '.data'),
    playground: Object.freeze({ enabled: e.PLAYGROUND && !auth, port: e.PLAYGROUND_PORT, users: Object.freeze([...e.PLAYGROUND_USERS]) }),
    demo: e.DEMO,
    maxBodyBytes: e.MAX_BODY_KB * 1024,
    httpTimeouts: Object.freeze({ keepAliveMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS, headersMs: e.HTTP_HEADERS_TIMEOUT_MS, requestMs: e.HTTP_REQUEST_TIMEOUT_MS }),
    settings: Object.freeze({
      coalesceMs: e.ALERT_COALESCE_MS,
      approvalTiming,
      schedule: Object.freeze({
        timeZone: e.DEFAULT_TIMEZONE,
        digest: { weekday: e.DIGEST_WEEKDAY, hour: e.DIGEST_HOUR },
        nudgeHour: e.NUDGE_HOUR,
        staleAfterDays: e.STALE_AFTER_DAYS,
        fiscalYearStartMonth: e.FISCAL_YEAR_START_MONTH,
      }),
      allowedTenants,
      dealVisibility: e.DEAL_VISIBILITY,
      deliveryRetentionDays: e.DELIVERY_RETENTION_DAYS,
      adminGroupId: e.ADMIN_GROUP_ID?.toLowerCase(),
      crmSync: e.CRM_WEBHOOK_URL !== undefined || e.DATAVERSE_URL !== undefined,
      admins: e.ADMINS !== undefined ? e.ADMINS.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean) : auth ? [] : [LOCAL_ADMIN],
    }),
    notify: Object.freeze({
      ...DEFAULT_NOTIFY_CONFIG,
      tenantLimits: [{ windowMs: 1000, max: e.TEAMS_APP_RPS }],
      conversationLimits: parseLimits(e.TEAMS_CONVERSATION_LIMITS),
      leaseMs: e.DELIVERY_LEASE_MS,
      budgetLeaseMs: e.SEND_BUDGET_LEASE_MS,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      pollMs: e.NOTIFY_POLL_MS,
      coalesceMs: e.ALERT_COALESCE_MS,
    }),
    webhook: Object.freeze({ secret: e.WEBHOOK_SECRET, defaultTenantId: e.WEBHOOK_TENANT_ID }),
    scheduler: Object.freeze({ pollMs: e.SCHEDULER_POLL_MS, leaseMs: e.JOB_LEASE_MS, manualClock: e.DEALDESK_CLOCK === 'manual' }),
    metrics: Object.freeze({ prometheus: e.METRICS ?? !auth, applicationInsights: e.APPLICATIONINSIGHTS_CONNECTION_STRING }),
    crm: Object.freeze({
      webhook: e.CRM_WEBHOOK_URL && e.CRM_WEBHOOK_SECRET ? Object.freeze({ url: e.CRM_WEBHOOK_URL, secret: e.CRM_WEBHOOK_SECRET, timeoutMs: CRM_WEBHOOK_TIMEOUT_MS }) : undefined,
      maxAttempts: e.CRM_MAX_ATTEMPTS,
      baseBackoffMs: DEFAULT_NOTIFY_CONFIG.baseBackoffMs,
      maxBackoffMs: DEFAULT_NOTIFY_CONFIG.maxBackoffMs,
      leaseMs: e.CRM_LEASE_MS,
      sendTimeoutMs: crmSendTimeoutMs(e),
    }),
    assistantModel: e.AZURE_OPENAI_ENDPOINT && e.AZURE_OPENAI_DEPLOYMENT
      ? Object.freeze({
          endpoint: e.AZURE_OPENAI_ENDPOINT,
          deployment: e.AZURE_OPENAI_DEPLOYMENT,
          auth: Object.freeze(e.AZURE_OPENAI_AUTH === 'managed-identity' ? { kind: 'managed-identity' as const, clientId: e.AZURE_CLIENT_ID } : { kind: 'key' as const, apiKey: e.AZURE_OPENAI_API_KEY ?? '' }),
          deadlineMs: e.AZURE_OPENAI_DEADLINE_MS,
        })
      : undefined,
    graph: e.GRAPH ? Object.freeze({ url: e.GRAPH_URL, deadlineMs: e.GRAPH_DEADLINE_MS, authorityHost: e.AZURE_AUTHORITY_HOST, teamsAppId: e.TEAMS_APP_ID, catalogAppId: e.TEAMS_CATALOG_APP_ID }) : undefined,
    dataverse: e.DATAVERSE_URL
      ? Object.freeze({
          url: e.DATAVERSE_URL.replace(/\/+$/, ''),
          timeoutMs: e.DATAVERSE_TIMEOUT_MS,
          createAccounts: e.DATAVERSE_CREATE_ACCOUNTS,
          fieldOwnership,
          pollMs: e.DATAVERSE_POLL_MS,
          pollLeaseMs: e.DATAVERSE_POLL_LEASE_MS,
          tenantId: (e.DATAVERSE_TENANT_ID ?? e.MicrosoftAppTenantId).toLowerCase(),
          authorityHost: e.AZURE_AUTHORITY_HOST,
        })
      : undefined,
  });
}
