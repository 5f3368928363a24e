import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildAppPackage, zipAppPackage } from './build-app-package';
import { checkAppPackage } from './check-app-package';
import { PackageError, resolvePackageValues } from './package-env';

/**
 * `npm run package [-- <env>]` (env defaults to `local`): fills manifest/manifest.json from the environment
 * (and `.env.<env>`), validates the package offline, and writes build/appPackage.<env>.zip only when it is valid.
 */
async function main(): Promise<number> {
  const env = process.argv[2] ?? 'local';
  const values = resolvePackageValues(env, process.env, process.cwd());
  const pkg = buildAppPackage(env, values);
  const report = await checkAppPackage(pkg);
  if (report.errors.length + report.warnings.length > 0) {
    console.error(`The DealDesk app package for "${env}" is not valid (${report.errors.length} errors, ${report.warnings.length} warnings); nothing written:`);
    for (const line of [...report.errors, ...report.warnings]) console.error(`  ${line}`);
    return 1;
  }
  const out = join(process.cwd(), 'build', `appPackage.${env}.zip`);
  mkdirSync(join(process.cwd(), 'build'), { recursive: true });
  const zip = zipAppPackage(pkg);
  writeFileSync(out, zip);
  const lists = pkg.manifest.bots[0].commandLists.map((l: { scopes: string[]; commands: unknown[] }) => `${l.scopes.join('+')} ${l.commands.length}`);
  console.log(`Wrote ${relative(process.cwd(), out)} (${(zip.length / 1024).toFixed(1)} KB) for "${env}": app ${values.TEAMS_APP_ID}, bot ${values.MicrosoftAppId}, domain ${pkg.manifest.validDomains.join(', ')}`);
  console.log(`Valid: manifest v${pkg.manifest.manifestVersion} and ${pkg.manifest.localizationInfo.additionalLanguages.map((l: { file: string }) => l.file).join(', ')} against the bundled schemas (0 errors, 0 warnings); icons 192×192 opaque and 32×32 white on transparent; commands (${lists.join(', ')}) all known to DealDesk.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof PackageError ? `Cannot package DealDesk: ${e.message}` : `Cannot package DealDesk: ${(e as Error)?.message ?? e}`);
    process.exit(1);
  },
);
