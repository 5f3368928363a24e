import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { COMPOSE_COMMANDS } from '../src/bot/compose-commands';
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

interface ComposeCommand { id: string; type?: string; context?: string[]; fetchTask?: boolean; parameters?: Array<{ name: string }> }

/**
 * The compose extension (issue 9): powered by the same bot, exactly the commands DealDesk answers (src/bot/compose-commands.ts)
 * with their types, the search taking its text as `query`, the actions on a message opening a dialog (fetchTask), and links
 * unfolding only on DealDesk's own host (validDomains).
 */
function checkComposeExtension(manifest: AppPackage['manifest'], report: PackageReport): void {
  const extension = manifest.composeExtensions?.[0];
  if (!extension) return void report.errors.push('manifest.json: composeExtensions[0] is missing: deal search, link unfurling and the message actions need it');
  if (extension.botId !== manifest.bots?.[0]?.botId) report.errors.push('manifest.json: composeExtensions[0].botId must be the bot\'s id (bots[0].botId)');
  const commands: ComposeCommand[] = extension.commands ?? [];
  const ids = commands.map((c) => c.id);
  for (const [id, type] of Object.entries(COMPOSE_COMMANDS)) {
    const command = commands.find((c) => c.id === id);
    if (!command) report.errors.push(`manifest.json: compose extension command "${id}" is missing`);
    else if ((command.type ?? 'query') !== type) report.errors.push(`manifest.json: compose extension command "${id}" must be type ${type}`);
    else if (type === 'query' && !command.parameters?.some((p) => p.name === 'query')) report.errors.push(`manifest.json: search command "${id}" needs a parameter named "query"`);
    else if (type === 'action' && (command.fetchTask !== true || JSON.stringify(command.context) !== '["message"]')) report.errors.push(`manifest.json: action command "${id}" needs context ["message"] and fetchTask true`);
  }
  for (const id of ids.filter((i) => !Object.hasOwn(COMPOSE_COMMANDS, i))) report.errors.push(`manifest.json: compose extension command "${id}" is not one DealDesk answers`);
  const domains: string[] = (extension.messageHandlers ?? []).filter((h: { type?: string }) => h.type === 'link').flatMap((h: { value?: { domains?: string[] } }) => h.value?.domains ?? []);
  if (domains.length === 0) report.errors.push('manifest.json: composeExtensions[0].messageHandlers needs a link handler with DealDesk\'s domain, or deal links do not unfold');
  for (const domain of domains.filter((d) => !(manifest.validDomains ?? []).includes(d))) report.errors.push(`manifest.json: link domain ${domain} is not DealDesk's own (validDomains)`);
}

const COMPOSE_KEY = /^composeExtensions\[0\]\.commands\[(\d+)\]\.(?:parameters\[(\d+)\]\.)?\w+$/;

/** A translated description starts with the command it explains: as in English, or as its translated title (the menu inserts that). */
const startsWithCommand = (text: string, title: string, translatedTitle: string | undefined): boolean =>
  text.startsWith(`${title} `) || (translatedTitle !== undefined && text.startsWith(`${translatedTitle} `));

const COMMAND_KEY = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/;

/** A language file's command strings must sit on the command they translate (and a title must still parse). */
function checkLanguageFile(file: string, strings: Record<string, string>, manifest: AppPackage['manifest'], report: PackageReport): void {
  const lists: CommandList[] = manifest.bots?.[0]?.commandLists ?? [];
  for (const [key, text] of Object.entries(strings)) {
    const compose = COMPOSE_KEY.exec(key);
    if (compose) {
      const command = manifest.composeExtensions?.[0]?.commands?.[Number(compose[1])];
      if (!command || (compose[2] !== undefined && !command.parameters?.[Number(compose[2])])) report.errors.push(`${file}: ${key} translates a compose extension command manifest.json does not have`);
      continue;
    }
    const m = COMMAND_KEY.exec(key);
    if (!m) continue;
    const command = lists[Number(m[1])]?.commands[Number(m[2])];
    if (!command) {
      report.errors.push(`${file}: ${key} translates a command manifest.json does not have`);
    } else if (m[3] === 'title' && commandKind(text) !== commandKind(command.title)) {
      report.errors.push(`${file}: ${key} "${text}" does not run "${command.title}"`);
    } else if (m[3] === 'description' && command.description?.startsWith(`${command.title} `) && !startsWithCommand(text, command.title, strings[key.replace(/description$/, 'title')])) {
      report.errors.push(`${file}: ${key} should start with "${command.title} " like the English description, or with its translated title (is it on the right command?)`);
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
  checkComposeExtension(manifest, report);
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
