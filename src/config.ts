import { z } from 'zod';

/** A configuration mistake: start-up stops with one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;
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
  DATA_DIR: z.string().min(1).default('.data'),
  PLAYGROUND: flag.default('on'),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  MAX_BODY_KB: z.coerce.number().int().min(16).max(4096).default(256),
});

export type Config = Readonly<{
  port: number;
  host: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** Inbound Bot Framework authentication; off only when no app id is configured (local mode). */
  auth: Readonly<{ appId: string; appType: string; tenantId: string; password: string }> | undefined;
  /** Azure Cosmos DB, or undefined for the embedded local store. */
  cosmos: Readonly<{ endpoint: string; key?: string; managedIdentityClientId?: string; database: string }> | { embedded: true; database: string };
  dataDir: string;
  playground: Readonly<{ enabled: boolean; port: number }>;
  maxBodyBytes: number;
}>;

/** Parses the environment once into a frozen config; any mistake throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const auth = e.MicrosoftAppId ? { appId: e.MicrosoftAppId, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId, password: e.MicrosoftAppPassword } : undefined;
  if (auth && auth.appType !== 'UserAssignedMSI' && !auth.password) throw new ConfigError('MicrosoftAppPassword: required when MicrosoftAppId is set (or use MicrosoftAppType=UserAssignedMSI)');
  if (auth && auth.appType !== 'MultiTenant' && !auth.tenantId) throw new ConfigError(`MicrosoftAppTenantId: required for MicrosoftAppType=${auth.appType}`);
  if (!auth && !LOOPBACK.test(e.HOST)) throw new ConfigError(`HOST: ${e.HOST} is not a loopback address; with authentication off (no MicrosoftAppId) DealDesk listens on 127.0.0.1 only`);
  const cosmos = e.COSMOS_ENDPOINT
    ? { endpoint: e.COSMOS_ENDPOINT, key: e.COSMOS_KEY || undefined, managedIdentityClientId: e.AZURE_CLIENT_ID, database: e.COSMOS_DATABASE }
    : ({ embedded: true, database: e.COSMOS_DATABASE } as const);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    auth: auth && Object.freeze(auth),
    cosmos: Object.freeze(cosmos),
    dataDir: e.DATA_DIR,
    playground: Object.freeze({ enabled: e.PLAYGROUND && !auth, port: e.PLAYGROUND_PORT }),
    maxBodyBytes: e.MAX_BODY_KB * 1024,
  });
}
