/**
 * Settings that are each valid alone but make no sense together: half of the bot registration, a Cosmos key without
 * its account, authentication on with the in-process store, a local-mode setting in Azure mode, … Each one stops
 * start-up with one line naming the variables (config.ts). Local mode is no MicrosoftAppId; Azure mode is
 * MicrosoftAppId with a real store (COSMOS_ENDPOINT: Azure Cosmos DB, or an emulator on this machine).
 */
export interface SettingsSeen {
  /** Set to something (an empty value counts as not set). */
  given(name: string): boolean;
  appType: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';
  host: string;
  cosmosEndpoint?: string;
  emulator: boolean;
  playground: boolean;
  /** The highest port a playground would take: PLAYGROUND_PORT + one per PLAYGROUND_USERS - 1. */
  playgroundPorts: number;
  demo: boolean;
  manualClock: boolean;
  webhookTenantId?: string;
  allowedTenants?: readonly string[];
  remindAfterMs: number;
  escalateAfterMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** GRAPH=on */
  graph: boolean;
  dataverseTenantId?: string;
  /** CRM_LEASE_MS, and the longest one send to the configured CRM may take (config.ts). */
  crmLeaseMs: number;
  crmSendTimeoutMs: number;
  dataverseTimeoutMs: number;
  dataversePollLeaseMs: number;
  /** AZURE_OPENAI_AUTH */
  openAIAuth?: 'key' | 'managed-identity';
}

export interface Combination {
  variables: readonly string[];
  refused(s: SettingsSeen): boolean;
  why(s: SettingsSeen): string;
}

/** The change poll renews its lease with a third of it left (poll-lease.ts): that third must hold one Dataverse request. */
export const POLL_LEASE_PER_REQUEST = 3;

export const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

const auth = (s: SettingsSeen) => s.given('MicrosoftAppId');
const without = (name: string, needs: string, what: string): Combination => ({
  variables: [name, needs],
  refused: (s) => s.given(name) && !s.given(needs),
  why: () => `${what} without ${needs}: set ${needs} too, or leave ${name} empty`,
});
const onlyWithAuth = (name: string, what: string): Combination => ({
  variables: [name, 'MicrosoftAppId'],
  refused: (s) => !auth(s) && s.given(name),
  why: () => `${what} only applies with authentication on (MicrosoftAppId, Azure mode): set MicrosoftAppId too, or leave ${name} empty for local mode`,
});

/** In the order they are checked: the first that applies is the one reported. */
export const COMBINATIONS: readonly Combination[] = [
  without('CRM_WEBHOOK_URL', 'CRM_WEBHOOK_SECRET', 'an outbound CRM webhook (its receivers verify the signature)'),
  without('CRM_WEBHOOK_SECRET', 'CRM_WEBHOOK_URL', 'a secret to sign outbound CRM events with'),
  {
    variables: ['CRM_WEBHOOK_URL', 'DATAVERSE_URL'],
    refused: (s) => s.given('CRM_WEBHOOK_URL') && s.given('DATAVERSE_URL'),
    why: () => 'a deal has one system of record: set CRM_WEBHOOK_URL (any CRM, through your receiver) or DATAVERSE_URL (Dynamics 365), not both',
  },
  {
    variables: ['MicrosoftAppId', 'COSMOS_ENDPOINT'],
    refused: (s) => auth(s) && !s.given('COSMOS_ENDPOINT'),
    why: () => 'authentication on (Azure mode) needs a real store, but without COSMOS_ENDPOINT everything would be kept in this process only: set COSMOS_ENDPOINT (Azure Cosmos DB), or leave MicrosoftAppId empty for local mode',
  },
  onlyWithAuth('MicrosoftAppPassword', "the bot's client secret"),
  onlyWithAuth('MicrosoftAppTenantId', "the bot's tenant"),
  onlyWithAuth('MicrosoftAppType', "the bot's type"),
  onlyWithAuth('BOT_OPENID_METADATA_URL', 'checking inbound tokens'),
  {
    variables: ['MicrosoftAppType', 'MicrosoftAppPassword'],
    refused: (s) => auth(s) && s.appType !== 'UserAssignedMSI' && !s.given('MicrosoftAppPassword'),
    why: (s) => `MicrosoftAppType=${s.appType} needs the bot's client secret in MicrosoftAppPassword (or use MicrosoftAppType=UserAssignedMSI, a managed identity)`,
  },
  {
    variables: ['MicrosoftAppType', 'MicrosoftAppPassword'],
    refused: (s) => auth(s) && s.appType === 'UserAssignedMSI' && s.given('MicrosoftAppPassword'),
    why: () => 'a managed identity (UserAssignedMSI) has no secret: leave MicrosoftAppPassword empty, or use MicrosoftAppType=SingleTenant',
  },
  {
    variables: ['MicrosoftAppType', 'MicrosoftAppTenantId'],
    refused: (s) => auth(s) && s.appType !== 'MultiTenant' && !s.given('MicrosoftAppTenantId'),
    why: (s) => `MicrosoftAppType=${s.appType} needs the bot's tenant in MicrosoftAppTenantId`,
  },
  without('COSMOS_KEY', 'COSMOS_ENDPOINT', 'a Cosmos DB account key'),
  without('AZURE_CLIENT_ID', 'COSMOS_ENDPOINT', 'the managed identity DealDesk reaches Cosmos DB with'),
  {
    variables: ['COSMOS_EMULATOR', 'COSMOS_ENDPOINT'],
    refused: (s) => s.emulator && !s.given('COSMOS_ENDPOINT'),
    why: () => 'on says COSMOS_ENDPOINT is an emulator on this machine, but COSMOS_ENDPOINT is empty (the embedded local store needs neither)',
  },
  {
    variables: ['COSMOS_ENDPOINT', 'COSMOS_KEY', 'AZURE_CLIENT_ID'],
    refused: (s) => s.given('COSMOS_ENDPOINT') && !s.given('COSMOS_KEY') && !s.given('AZURE_CLIENT_ID'),
    why: () => 'no way to reach Cosmos DB: set COSMOS_KEY (the account key) or AZURE_CLIENT_ID (a managed identity with data-plane access)',
  },
  {
    variables: ['COSMOS_KEY', 'AZURE_CLIENT_ID'],
    refused: (s) => s.given('COSMOS_KEY') && s.given('AZURE_CLIENT_ID'),
    why: () => 'two ways to reach Cosmos DB: set the account key or the managed identity, not both',
  },
  {
    variables: ['COSMOS_EMULATOR', 'COSMOS_ENDPOINT'],
    refused: (s) => s.emulator && s.cosmosEndpoint !== undefined && !LOOPBACK.test(new URL(s.cosmosEndpoint).hostname),
    why: () => 'on is only for an emulator on this machine (a loopback COSMOS_ENDPOINT): it skips certificate checks',
  },
  {
    variables: ['DATA_DIR', 'COSMOS_ENDPOINT'],
    refused: (s) => s.given('DATA_DIR') && s.given('COSMOS_ENDPOINT'),
    why: () => 'DATA_DIR is where the embedded local store keeps its data, and with COSMOS_ENDPOINT there is none: leave DATA_DIR empty',
  },
  {
    variables: ['PLAYGROUND', 'MicrosoftAppId'],
    refused: (s) => auth(s) && s.given('PLAYGROUND') && s.playground,
    why: () => 'the Agents Playground sends no token, so it never runs with authentication on: set PLAYGROUND=off or leave it empty',
  },
  {
    variables: ['PLAYGROUND_PORT', 'MicrosoftAppId'],
    refused: (s) => auth(s) && s.given('PLAYGROUND_PORT'),
    why: () => 'the Agents Playground never runs with authentication on: leave PLAYGROUND_PORT empty',
  },
  {
    variables: ['PLAYGROUND_USERS', 'MicrosoftAppId'],
    refused: (s) => auth(s) && s.given('PLAYGROUND_USERS'),
    why: () => 'the Agents Playground never runs with authentication on: leave PLAYGROUND_USERS empty',
  },
  {
    variables: ['PLAYGROUND_PORT', 'PLAYGROUND_USERS'],
    refused: (s) => s.playgroundPorts > 65535,
    why: (s) => `one playground per user needs ports up to ${s.playgroundPorts}, above 65535: set a lower PLAYGROUND_PORT or fewer PLAYGROUND_USERS`,
  },
  {
    variables: ['DEMO', 'COSMOS_ENDPOINT'],
    refused: (s) => s.demo && s.given('COSMOS_ENDPOINT'),
    why: () => 'the demo seeds a fresh embedded local store (DATA_DIR), never a Cosmos DB account: leave COSMOS_ENDPOINT empty, or DEMO off',
  },
  {
    variables: ['DEALDESK_CLOCK', 'MicrosoftAppId'],
    refused: (s) => auth(s) && s.manualClock,
    why: () => 'manual is for local mode only (no MicrosoftAppId): it lets anyone who can reach DealDesk move its time',
  },
  {
    variables: ['HOST', 'MicrosoftAppId'],
    refused: (s) => !auth(s) && !LOOPBACK.test(s.host),
    why: (s) => `${s.host} is not a loopback address; with authentication off (no MicrosoftAppId) DealDesk listens on 127.0.0.1 only`,
  },
  {
    variables: ['GRAPH', 'MicrosoftAppId'],
    refused: (s) => s.graph && !auth(s),
    why: () => "Microsoft Graph is called with the bot's own identity (an app-only token), and local mode has none: leave GRAPH off for local mode (people are those DealDesk meets), or set MicrosoftAppId (Azure mode)",
  },
  {
    variables: ['GRAPH', 'MicrosoftAppType'],
    refused: (s) => s.graph && auth(s) && s.appType === 'MultiTenant',
    why: () => "Microsoft Graph reads one organisation's directory, the bot's own tenant: use MicrosoftAppType=SingleTenant or UserAssignedMSI, or leave GRAPH off",
  },
  ...['GRAPH_URL', 'GRAPH_DEADLINE_MS', 'ADMIN_GROUP_ID', 'TEAMS_CATALOG_APP_ID'].map((name): Combination => ({
    variables: [name, 'GRAPH'],
    refused: (s) => !s.graph && s.given(name),
    why: () => `${name} only applies with GRAPH=on (Microsoft Graph): set GRAPH=on too, or leave ${name} empty`,
  })),
  {
    variables: ['DATAVERSE_URL', 'MicrosoftAppId'],
    refused: (s) => s.given('DATAVERSE_URL') && !auth(s),
    why: () => "Dynamics 365 is called with the bot's own identity (an app-only token), and local mode has none: leave DATAVERSE_URL empty for local mode, or set MicrosoftAppId (Azure mode)",
  },
  {
    variables: ['DATAVERSE_URL', 'MicrosoftAppType'],
    refused: (s) => s.given('DATAVERSE_URL') && auth(s) && s.appType === 'MultiTenant',
    why: () => "a Dynamics 365 environment belongs to one organisation, reached with the bot's identity in its own tenant: use MicrosoftAppType=SingleTenant or UserAssignedMSI, or leave DATAVERSE_URL empty",
  },
  ...['DATAVERSE_TIMEOUT_MS', 'DATAVERSE_CREATE_ACCOUNTS', 'CRM_FIELD_OWNERS', 'DATAVERSE_POLL_MS', 'DATAVERSE_POLL_LEASE_MS', 'DATAVERSE_TENANT_ID'].map((name): Combination => ({
    variables: [name, 'DATAVERSE_URL'],
    refused: (s) => !s.given('DATAVERSE_URL') && s.given(name),
    why: () => `${name} only applies with DATAVERSE_URL (Dynamics 365): set DATAVERSE_URL too, or leave ${name} empty`,
  })),
  {
    variables: ['CRM_LEASE_MS', 'DATAVERSE_TIMEOUT_MS'],
    refused: (s) => s.given('DATAVERSE_URL') && s.crmLeaseMs <= s.crmSendTimeoutMs,
    why: (s) => `a send to Dynamics 365 may take ${s.crmSendTimeoutMs} ms (four requests of DATAVERSE_TIMEOUT_MS) and none starts that could outlast its claim, so with a claim of ${s.crmLeaseMs} ms no change would ever go out: set CRM_LEASE_MS above ${s.crmSendTimeoutMs}, or a shorter DATAVERSE_TIMEOUT_MS`,
  },
  {
    variables: ['CRM_LEASE_MS', 'CRM_WEBHOOK_URL'],
    refused: (s) => s.given('CRM_WEBHOOK_URL') && s.crmLeaseMs <= s.crmSendTimeoutMs,
    why: (s) => `a POST to the CRM webhook may take ${s.crmSendTimeoutMs} ms and none starts that could outlast its claim, so with a claim of ${s.crmLeaseMs} ms no change would ever go out: set CRM_LEASE_MS above ${s.crmSendTimeoutMs}`,
  },
  {
    variables: ['DATAVERSE_POLL_LEASE_MS', 'DATAVERSE_TIMEOUT_MS'],
    refused: (s) => s.given('DATAVERSE_URL') && s.dataversePollLeaseMs < POLL_LEASE_PER_REQUEST * s.dataverseTimeoutMs,
    why: (s) => `the change poll renews its lease with a third of it left, and a Dataverse request may take ${s.dataverseTimeoutMs} ms: with a lease of ${s.dataversePollLeaseMs} ms it could lapse during one, and another instance poll the same changes meanwhile. Set DATAVERSE_POLL_LEASE_MS to at least ${POLL_LEASE_PER_REQUEST * s.dataverseTimeoutMs}, or a shorter DATAVERSE_TIMEOUT_MS`,
  },
  {
    variables: ['DATAVERSE_TENANT_ID', 'ALLOWED_TENANTS'],
    refused: (s) => s.dataverseTenantId !== undefined && s.allowedTenants !== undefined && !s.allowedTenants.includes(s.dataverseTenantId.trim().toLowerCase()),
    why: (s) => `Dynamics 365's deals would belong to tenant ${s.dataverseTenantId}, which DealDesk does not serve: every change from there would be refused`,
  },
  without('AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT', 'an Azure OpenAI endpoint (the model answers through a deployment of it)'),
  ...['AZURE_OPENAI_DEPLOYMENT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_AUTH', 'AZURE_OPENAI_DEADLINE_MS'].map((name): Combination => ({
    variables: [name, 'AZURE_OPENAI_ENDPOINT'],
    refused: (s) => s.given(name) && !s.given('AZURE_OPENAI_ENDPOINT'),
    why: () => `${name} only applies with an Azure OpenAI endpoint: set AZURE_OPENAI_ENDPOINT too, or leave ${name} empty (DealDesk then reads updates offline)`,
  })),
  {
    variables: ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_AUTH'],
    refused: (s) => s.given('AZURE_OPENAI_ENDPOINT') && s.openAIAuth !== 'managed-identity' && !s.given('AZURE_OPENAI_API_KEY'),
    why: () => 'no way to reach Azure OpenAI: set AZURE_OPENAI_API_KEY (the resource\'s key) or AZURE_OPENAI_AUTH=managed-identity (a managed identity with the Cognitive Services OpenAI User role)',
  },
  {
    variables: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_AUTH'],
    refused: (s) => s.openAIAuth === 'managed-identity' && s.given('AZURE_OPENAI_API_KEY'),
    why: () => 'two ways to reach Azure OpenAI: set the key or AZURE_OPENAI_AUTH=managed-identity, not both',
  },
  without('WEBHOOK_TENANT_ID', 'WEBHOOK_SECRET', "the CRM webhook's default tenant"),
  {
    variables: ['WEBHOOK_TENANT_ID', 'ALLOWED_TENANTS'],
    refused: (s) => s.webhookTenantId !== undefined && s.allowedTenants !== undefined && !s.allowedTenants.includes(s.webhookTenantId.trim().toLowerCase()),
    why: (s) => `the CRM webhook's default tenant ${s.webhookTenantId} is not one DealDesk serves: every change it sends would be refused`,
  },
  {
    variables: ['APPROVAL_ESCALATE_AFTER', 'APPROVAL_REMIND_AFTER'],
    refused: (s) => s.escalateAfterMs < s.remindAfterMs,
    why: () => 'a pending approval would be escalated before its approvers are reminded: escalate after the reminder',
  },
  {
    variables: ['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS'],
    refused: (s) => s.headersTimeoutMs > s.requestTimeoutMs,
    why: (s) => `${s.headersTimeoutMs} ms for the headers is longer than ${s.requestTimeoutMs} ms for the whole request, which they are part of`,
  },
];

/** The first combination the settings fall into, as the one line start-up stops with. */
export function contradiction(s: SettingsSeen): string | undefined {
  const found = COMBINATIONS.find((c) => c.refused(s));
  return found && `${found.variables.join(', ')}: ${found.why(s)}`;
}
