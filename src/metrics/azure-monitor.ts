import type { Logger } from '../ports/logger.port';
import { registry } from './metrics';

/**
 * Exports DealDesk's metrics through OpenTelemetry to Application Insights. `@azure/monitor-opentelemetry`
 * is loaded here, lazily: only when APPLICATIONINSIGHTS_CONNECTION_STRING is set, so start-up does not pay for
 * it otherwise. Every recording in the registry is mirrored to an OpenTelemetry instrument of the same name.
 * Returns the function that flushes and stops the export (on shutdown).
 */
export function exportToAzureMonitor(connectionString: string, logger: Logger): () => Promise<void> {
  const monitor = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  try {
    monitor.useAzureMonitor({ azureMonitorExporterOptions: { connectionString }, enableLiveMetrics: false });
  } catch {
    // Its message may quote the connection string: say only which setting is wrong.
    throw new Error('APPLICATIONINSIGHTS_CONNECTION_STRING: Application Insights could not be set up with it (InstrumentationKey=…;IngestionEndpoint=… expected)');
  }
  const meter = api.metrics.getMeter('dealdesk');
  const record = new Map<string, (value: number, labels: Record<string, string>) => void>();
  for (const instrument of registry.list()) {
    if (instrument.kind === 'counter') {
      const counter = meter.createCounter(instrument.name, { description: instrument.help });
      record.set(instrument.name, (value, labels) => counter.add(value, labels));
    } else {
      const histogram = meter.createHistogram(instrument.name, { description: instrument.help, unit: 'ms' });
      record.set(instrument.name, (value, labels) => histogram.record(value, labels));
    }
  }
  const unlisten = registry.listen((instrument, value, labels) => record.get(instrument.name)?.(value, { ...labels }));
  logger.info({}, 'metrics: exporting to Application Insights');
  return async () => {
    unlisten();
    // A flush to an unreachable endpoint takes ~6 s: bounded, so shutdown stays within its 10 s.
    const flushed = monitor.shutdownAzureMonitor().then(() => true, () => false);
    const inTime = await Promise.race([flushed, new Promise<false>((resolve) => setTimeout(resolve, 3000, false).unref())]);
    if (!inTime) logger.warn({}, 'metrics: could not flush to Application Insights in time');
  };
}
