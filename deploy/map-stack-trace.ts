import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';

/**
 * Stack traces from the shipped bundle name `dist/main.js:<line>:<column>`. The artifact runs without
 * --enable-source-maps (decoding the map at the first stack trace takes more heap than DealDesk itself:
 * docs/benchmarks.md), so they are mapped here, offline, with the map the same build wrote (dist/main.js.map):
 *
 *   npm run stack-trace -- trace.txt            (or the trace on stdin; --map <file> for another build's map)
 *
 * Each `main.js:<line>:<column>` becomes `src/…/file.ts:<line>:<column>` (or a package under node_modules/).
 */
export function mapStackTrace(trace: string, map: SourceMap): string {
  return trace.replace(/(?:[^\s()]*[\\/])?main\.js:(\d+):(\d+)/g, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return whole;
    const source = entry.originalSource.replace(/^(?:file:\/\/)?(?:\.\.\/)+/, '');
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

export function loadSourceMap(file: string): SourceMap {
  return new SourceMap(JSON.parse(readFileSync(file, 'utf8')));
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--map');
  const mapFile = at >= 0 ? args.splice(at, 2)[1]! : join(__dirname, '..', 'dist', 'main.js.map');
  const trace = readFileSync(args[0] ?? 0, 'utf8');
  process.stdout.write(mapStackTrace(trace, loadSourceMap(mapFile)));
}
