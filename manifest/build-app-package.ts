import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PackageError, type PackageValues } from './package-env';

/** An app package in memory: the filled manifest and every file that goes into the zip, by name. */
export interface AppPackage {
  env: string;
  manifest: Record<string, any>;
  /** Every other file of the package (icons, language files), as they will be zipped. */
  files: Map<string, Buffer>;
}

export const MANIFEST_DIR = __dirname;

/** `${{NAME}}` is the variable's value; `${{NAME:domain}}` is the host name (no port) of a URL-valued variable. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?::(domain))?\s*\}\}/g;

export function fillPlaceholders(text: string, values: PackageValues): string {
  return text.replace(PLACEHOLDER, (_, name: string, part?: string) => {
    const value = (values as Record<string, string>)[name];
    if (value === undefined) throw new PackageError(`manifest/manifest.json: \${{${name}}} is not a variable npm run package knows (${Object.keys(values).join(', ')})`);
    return JSON.stringify(part === 'domain' ? new URL(value).hostname : value).slice(1, -1);
  });
}

/** Reads manifest/ and fills the placeholders; every file the manifest names must be there. */
export function buildAppPackage(env: string, values: PackageValues, dir = MANIFEST_DIR): AppPackage {
  const manifest = JSON.parse(fillPlaceholders(readFileSync(join(dir, 'manifest.json'), 'utf8'), values));
  const names = [manifest.icons?.color, manifest.icons?.outline, ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l: { file: string }) => l.file), manifest.localizationInfo?.defaultLanguageFile];
  const files = new Map<string, Buffer>();
  for (const name of names.filter((n): n is string => typeof n === 'string')) {
    try {
      files.set(name, readFileSync(join(dir, name)));
    } catch {
      throw new PackageError(`manifest/${name}: named in manifest.json but missing`);
    }
  }
  return { env, manifest, files };
}

/** The zip Teams takes: every file at the root; fixed timestamps so the same sources give the same bytes. */
export function zipAppPackage(pkg: AppPackage): Uint8Array {
  const mtime = new Date(2026, 0, 1);
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = { 'manifest.json': [Buffer.from(`${JSON.stringify(pkg.manifest, null, 2)}\n`), { mtime }] };
  for (const [name, data] of pkg.files) entries[name] = [data, { mtime }];
  return zipSync(entries, { level: 9 });
}
