import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { embeddedServerCertificate } from './embedded-server-certificate';
import { escapeWideCharacters } from './latin1-source';

/** The folder every shipped way runs from: `node … dist/main.js` in the folder that holds it (deploy/start-command.ts). */
export const ARTIFACT_DIR = 'dist';

/**
 * What the bundle leaves out, and why. Everything else Azure mode and local mode load is in dist/main.js, so the
 * artifact runs with no node_modules at all.
 * - dtrace-provider: an optional native addon of restify's logger (bunyan) that bunyan does without when it is absent.
 * - @microsoft/m365agentsplayground: a development tool run as a program of its own (a web UI and its assets, 15 MB),
 *   never part of DealDesk's process; `npm start` starts it when it is installed and says it is not otherwise.
 */
export const LEFT_OUT = ['dtrace-provider', '@microsoft/m365agentsplayground'] as const;

export interface Artifact {
  dir: string;
  /** The App Service package: the same files under dist/, when asked for. */
  zip?: string;
  bytes: number;
}

/**
 * The programs the artifact holds, each one bundle with every package it loads: DealDesk itself, and the operator's
 * `node dist/migrate.js [--drop-legacy]` (moves data of the layout before partitioned keys, as `npm run migrate` does
 * in a checkout), and `node dist/crm-import.js` (brings Dynamics 365's open opportunities in, as `npm run crm:import`
 * does), which a deployed App Service or container has no tsx or source to run otherwise.
 */
export const ENTRIES = ['crm-import', 'main', 'migrate'] as const;

/**
 * `npm run build`: src/main.ts, src/migrate.ts and src/crm-import.ts, each with every package it loads, bundled by esbuild into
 * `<outDir>/main.js` and `<outDir>/migrate.js`, with the card templates (`<outDir>/cards`), the language model's prompts
 * (`<outDir>/prompts`, read by teams-ai's PromptManager at run time), the licences of what is
 * bundled (`<name>.js.LEGAL.txt`) and a source map for mapping stack traces offline (`<name>.js.map`; not read at run
 * time: deploy/map-stack-trace.ts). Whitespace is minified and the source kept to one byte per character: both shrink
 * the heap the loaded bundle takes (docs/benchmarks.md).
 */
export async function buildArtifact(options: { root: string; outDir: string; zipTo?: string }): Promise<Artifact> {
  const { root, outDir } = options;
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES.map((name) => join(root, 'src', `${name}.ts`)),
    outdir: outDir,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [...LEFT_OUT],
    plugins: [embeddedServerCertificate],
    minifyWhitespace: true,
    legalComments: 'external',
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'warning',
    write: false,
  });
  const files = new Map(result.outputFiles.map((f) => [relative(outDir, f.path), f.text]));
  for (const name of ENTRIES) {
    const map = JSON.parse(files.get(`${name}.js.map`)!) as { mappings: string };
    const latin1 = escapeWideCharacters(files.get(`${name}.js`)!, map);
    files.set(`${name}.js`, latin1.code);
    files.set(`${name}.js.map`, JSON.stringify(latin1.map));
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  cpSync(join(root, 'cards'), join(outDir, 'cards'), { recursive: true });
  cpSync(join(root, 'prompts'), join(outDir, 'prompts'), { recursive: true });
  const bytes = filesUnder(outDir).reduce((sum, f) => sum + readFileSync(join(outDir, f)).length, 0);
  if (!options.zipTo) return { dir: outDir, bytes };
  mkdirSync(dirname(options.zipTo), { recursive: true });
  writeFileSync(options.zipTo, zipFolder(outDir, ARTIFACT_DIR));
  return { dir: outDir, zip: options.zipTo, bytes };
}

/** Every file under `dir`, as paths relative to it with `/`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** `dir`'s files under `prefix/` in a zip, with fixed timestamps so the same build gives the same bytes. */
function zipFolder(dir: string, prefix: string): Uint8Array {
  const mtime = new Date(2026, 0, 1);
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const file of filesUnder(dir)) entries[`${prefix}/${file}`] = [readFileSync(join(dir, file)), { mtime }];
  return zipSync(entries, { level: 6 });
}
