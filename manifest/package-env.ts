import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** A packaging mistake the person running `npm run package` can fix; shown as one line, never a stack trace. */
export class PackageError extends Error {
  override name = 'PackageError';
}

/** The environment variables the manifest's `${{…}}` placeholders come from: the same ones DealDesk reads. */
export const PACKAGE_VARIABLES = ['TEAMS_APP_ID', 'MicrosoftAppId', 'DEALDESK_PUBLIC_URL'] as const;
export type PackageValues = Readonly<Record<(typeof PACKAGE_VARIABLES)[number], string>>;

/**
 * For the `local` env only, so `npm run package` works on a fresh clone. The ids are obviously fake: such a
 * package validates, but Teams can reach no bot with it. Set real values in `.env.local` to sideload against a tunnel.
 */
export const LOCAL_DEFAULTS: PackageValues = {
  TEAMS_APP_ID: '00000000-0000-0000-0000-00000000de01',
  MicrosoftAppId: '00000000-0000-0000-0000-00000000b001',
  DEALDESK_PUBLIC_URL: 'http://localhost:3978',
};

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const ENV_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The dotenv files an env reads, most specific first: `.env.<env>`, and for `local` also `.env` (what `npm start` reads). */
export const envFiles = (env: string): string[] => (env === 'local' ? ['.env.local', '.env'] : [`.env.${env}`]);

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

function checkValue(name: keyof PackageValues, value: string, env: string): void {
  if (name !== 'DEALDESK_PUBLIC_URL') {
    if (!GUID.test(value)) throw new PackageError(`${name}: "${value.slice(0, 40)}" is not a GUID (8-4-4-4-12 hex digits, as the Azure portal shows it)`);
    return;
  }
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const allowed = env === 'local' ? ['https:', 'http:'] : ['https:'];
  if (!url || !allowed.includes(url.protocol)) throw new PackageError(`DEALDESK_PUBLIC_URL: "${value.slice(0, 80)}" is not an ${env === 'local' ? 'http(s)' : 'https'}:// URL like https://dealdesk.contoso.com`);
}

/**
 * The placeholder values for `env`: the process environment first, then the env's dotenv files (in `dir`),
 * then, for `local` only, LOCAL_DEFAULTS. An empty value counts as unset.
 */
export function resolvePackageValues(env: string, processEnv: NodeJS.ProcessEnv, dir: string): PackageValues {
  if (!ENV_NAME.test(env)) throw new PackageError(`env "${env.slice(0, 40)}": use lower-case letters, digits and dashes, like local, dev or prod`);
  const sources = [processEnv, ...envFiles(env).map((f) => readEnvFile(join(dir, f)))];
  const values: Partial<Record<keyof PackageValues, string>> = {};
  for (const name of PACKAGE_VARIABLES) {
    const found = sources.map((s) => s[name]?.trim()).find((v) => v);
    const given = found ?? (env === 'local' ? LOCAL_DEFAULTS[name] : undefined);
    // The publisher pages are <DEALDESK_PUBLIC_URL>/privacy and /terms: no trailing slash, so no "//privacy".
    const value = name === 'DEALDESK_PUBLIC_URL' ? given?.replace(/\/+$/, '') : given;
    if (value) values[name] = value;
  }
  const missing = PACKAGE_VARIABLES.filter((name) => !values[name]);
  if (missing.length > 0) {
    throw new PackageError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set for env "${env}": export ${missing.length === 1 ? 'it' : 'them'} or add ${missing.length === 1 ? 'it' : 'them'} to ${envFiles(env)[0]}`);
  }
  for (const name of PACKAGE_VARIABLES) checkValue(name, values[name]!, env);
  return values as PackageValues;
}
