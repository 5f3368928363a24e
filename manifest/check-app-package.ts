import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { parseCommand } from '../src/chat/parse-command';
import type { AppPackage } from './build-app-package';
import { checkColorIcon, checkOutlineIcon } from './check-icons';

/** What is wrong with a package. Errors fail it; so do warnings (anything the validator prints). */
export interface PackageReport {
  errors: string[];
  warnings: string[];
}

const SCHEMAS = join(dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
const SCHEMA_URL = (version: string, kind: string) => `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.${kind}schema.json`;

/** The manifest versions @microsoft/app-manifest carries on disk, oldest first ("1.0" … "1.30"). */
export function bundledSchemaVersions(): string[] {
  const versions = readdirSync(SCHEMAS).flatMap((d) => (/^v(\d+\.\d+)$/.exec(d)?.[1] ? [d.slice(1)] : []));
  const [major, minor] = [(v: string) => Number(v.split('.')[0]), (v: string) => Number(v.split('.')[1])];
  return versions.sort((a, b) => major(a) - major(b) || minor(a) - minor(b));
}

/** A bundled schema, read from disk: validation never goes to the network. */
function bundledSchema(version: string, kind: '' | 'Localization.'): object | undefined {
  try {
    // The clean-up the library applies to a fetched schema (JavaScript regexes have no \a or \v escape), plus one
    // for the localization schema, whose activityTypes patterns end in `\b]`: a lone `]` that Ajv's unicode regexes
    // reject. Escaping it (`\b\]`) keeps the meaning: the character `]`.
    const raw = readFileSync(join(SCHEMAS, `v${version}`, `MicrosoftTeams.${kind}schema.json`), 'utf8');
    return JSON.parse(raw.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b').replaceAll('\\\\b]', '\\\\b\\\\]'));
  } catch {
    return undefined;
  }
}

/** Runs the library's schema validation, turning anything it logs (Ajv warnings) into warnings. */
async function validate(what: string, document: object, schema: object, report: PackageReport): Promise<void> {
  const original = { warn: console.warn, log: console.log, error: console.error };
  const heard = (...args: unknown[]) => report.warnings.push(`${what}: ${args.map(String).join(' ')}`);
  Object.assign(console, { warn: heard, log: heard, error: heard });
  try {
    const errors = await AppManifestUtils.validateAgainstSchema(document as any, schema as any);
    report.errors.push(...errors.map((e) => `${what}: ${e}`));
  } catch (e) {
    report.errors.push(`${what}: the bundled schema could not be compiled (${(e as Error).message})`);
  } finally {
    Object.assign(console, original);
  }
}

/** What a command title runs: the parser's command, or the command whose usage it shows ("deal" alone). */
const commandKind = (title: string): string => {
  const command = parseCommand(title);
  return command.name === 'usage' ? command.of : command.name;
};

interface CommandList { scopes: string[]; commands: Array<{ title: string; description?: string }> }

function checkCommands(manifest: AppPackage['manifest'], report: PackageReport): void {
  const bot = manifest.bots?.[0];
  if (!bot) return void report.errors.push('manifest.json: DealDesk is a bot, but bots[0] is missing');
  const lists: CommandList[] = bot.commandLists ?? [];
  for (const scope of bot.scopes ?? []) {
    const count = lists.filter((l) => l.scopes?.includes(scope)).length;
    if (count !== 1) report.errors.push(`manifest.json: the ${scope} scope needs exactly one command list, it has ${count}`);
  }
  lists.forEach((list, i) => {
    if (list.commands.length > 12) report.errors.push(`manifest.json: command list ${i} (${list.scopes}) has ${list.commands.length} commands; Teams shows at most 12`);
    const titles = list.commands.map((c) => c.title.toLowerCase());
    const repeated = titles.filter((t, k) => titles.indexOf(t) !== k);
    if (repeated.length > 0) report.errors.push(`manifest.json: command list ${i} (${list.scopes}) repeats ${repeated.join(', ')}`);
    for (const c of list.commands) {
      if (commandKind(c.title) === 'unknown') report.errors.push(`manifest.json: command "${c.title}" (${list.scopes}) is not a command DealDesk understands`);
    }
  });
}

const COMMAND_KEY = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/;

/** A language file's command strings must sit on the command they translate (and a title must still parse). */
function checkLanguageFile(file: string, strings: Record<string, string>, manifest: AppPackage['manifest'], report: PackageReport): void {
  const lists: CommandList[] = manifest.bots?.[0]?.commandLists ?? [];
  for (const [key, text] of Object.entries(strings)) {
    const m = COMMAND_KEY.exec(key);
    if (!m) continue;
    const command = lists[Number(m[1])]?.commands[Number(m[2])];
    if (!command) {
      report.errors.push(`${file}: ${key} translates a command manifest.json does not have`);
    } else if (m[3] === 'title' && commandKind(text) !== commandKind(command.title)) {
      report.errors.push(`${file}: ${key} "${text}" does not run "${command.title}"`);
    } else if (m[3] === 'description' && command.description?.startsWith(`${command.title} `) && !text.startsWith(`${command.title} `)) {
      report.errors.push(`${file}: ${key} should start with "${command.title} " like the English description (is it on the right command?)`);
    }
  }
}

/** Every check `npm run package` makes before it writes the zip. */
export async function checkAppPackage(pkg: AppPackage): Promise<PackageReport> {
  const report: PackageReport = { errors: [], warnings: [] };
  const { manifest } = pkg;
  const version = String(manifest.manifestVersion);
  const schema = bundledSchema(version, '');
  if (!schema) report.errors.push(`manifest.json: manifestVersion ${version} is not a schema @microsoft/app-manifest bundles (${bundledSchemaVersions().at(-1)} is the newest)`);
  else await validate('manifest.json', manifest, schema, report);
  if (manifest.$schema !== SCHEMA_URL(version, '')) report.errors.push(`manifest.json: $schema should be ${SCHEMA_URL(version, '')} for manifestVersion ${version}`);

  const leftover = JSON.stringify(manifest).match(/\$\{\{[^}]*\}\}/g);
  if (leftover) report.errors.push(`manifest.json: placeholders left unfilled: ${[...new Set(leftover)].join(', ')}`);
  if (pkg.env !== 'local') {
    for (const [field, url] of Object.entries(manifest.developer ?? {})) {
      if (typeof url === 'string' && /^https?:\/\/([^/]+\.)?example\.com(\/|$)/i.test(url)) report.errors.push(`manifest.json: developer.${field} is still ${url}; point it at your organisation's page before packaging for "${pkg.env}"`);
    }
  }

  checkCommands(manifest, report);
  report.errors.push(...checkColorIcon(manifest.icons?.color, pkg.files.get(manifest.icons?.color)));
  report.errors.push(...checkOutlineIcon(manifest.icons?.outline, pkg.files.get(manifest.icons?.outline)));

  const localizationSchema = bundledSchema(version, 'Localization.');
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    let strings: Record<string, string>;
    try {
      strings = JSON.parse(pkg.files.get(file)!.toString('utf8'));
    } catch {
      report.errors.push(`${file}: missing or not JSON`);
      continue;
    }
    if (localizationSchema) await validate(file, strings, localizationSchema, report);
    if (strings.$schema !== SCHEMA_URL(version, 'Localization.')) report.errors.push(`${file}: $schema should be ${SCHEMA_URL(version, 'Localization.')}`);
    checkLanguageFile(file, strings, manifest, report);
  }
  return report;
}
