import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/(?:from|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

/** Telemetry stays at the edges: the seams call src/telemetry/tracing.ts, and only src/telemetry touches the SDK. */
describe('telemetry layering', () => {
  it('the domain, the use cases, the chat layer and the cards import no telemetry (a port marks what they must)', () => {
    for (const folder of ['domain', 'app', 'chat', 'cards']) {
      for (const file of filesUnder(join(SRC, folder))) {
        for (const spec of importsOf(file)) assert.doesNotMatch(spec, /opentelemetry|monitor|telemetry/, `${relative(SRC, file)} imports ${spec}`);
      }
    }
  });

  it('only src/telemetry imports an OpenTelemetry or Azure Monitor package, and only azure-monitor.ts is loaded lazily from outside it', () => {
    for (const file of filesUnder(SRC)) {
      const where = relative(SRC, file);
      for (const spec of importsOf(file)) {
        if (/^@opentelemetry\/|^@azure\/monitor-opentelemetry/.test(spec)) assert.match(where, /^telemetry\//, `${where} imports ${spec}`);
        if (/telemetry\/(otel-tracer|log-records|metrics-bridge|azure-monitor)$/.test(spec) && !where.startsWith('telemetry/')) {
          assert.equal(where, 'start-dealdesk.ts', `${where} imports ${spec}`);
          assert.match(readFileSync(file, 'utf8'), /require\('\.\/telemetry\/azure-monitor'\)/, 'loaded with require, only when configured');
        }
      }
    }
    assert.deepEqual(importsOf(join(SRC, 'telemetry', 'tracing.ts')), [], 'the facade the seams use imports nothing');
  });
});
