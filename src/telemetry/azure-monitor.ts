import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AzureMonitorLogExporter, AzureMonitorMetricExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import type { Logger } from '../ports/logger.port';
import { withLogRecords } from './log-records';
import { mirrorMetrics } from './metrics-bridge';
import { otelTracer } from './otel-tracer';
import { installTracer } from './tracing';

export interface AzureMonitor {
  /** The app's logger, its lines also sent to Application Insights (correlated with their operations). */
  logger: Logger;
  /** Flushes what is buffered and stops the export (on shutdown); bounded in time. */
  stop(): Promise<void>;
}

/** A flush to an unreachable endpoint takes ~6 s: bounded, so shutdown stays within its 10 s. */
const FLUSH_BUDGET_MS = 3000;
const METRICS_INTERVAL_MS = 60_000;

/**
 * Application Insights: DealDesk's spans (requests, dependencies, exceptions), log lines and metrics, through the
 * OpenTelemetry SDK and the Azure Monitor exporter. Loaded only when APPLICATIONINSIGHTS_CONNECTION_STRING is set
 * (src/start-dealdesk.ts requires this file then), so otherwise no OpenTelemetry SDK is loaded at all.
 *
 * Why these packages and not `@azure/monitor-opentelemetry` (the "distro"): it declares Node ≥ 22 since 1.18.2 and
 * its value is auto-instrumentation through require hooks, which does not see into our esbuild bundle. The exporter
 * 1.0.0-beta.42 is its last version for Node ≥ 20 (beta.43 on need Node 22), with the SDK packages it is built on.
 */
export function startAzureMonitor(options: { connectionString: string; logger: Logger; logLevel: string }): AzureMonitor {
  const { connectionString, logger } = options;
  let exporters: { traces: AzureMonitorTraceExporter; logs: AzureMonitorLogExporter; metrics: AzureMonitorMetricExporter };
  try {
    exporters = {
      traces: new AzureMonitorTraceExporter({ connectionString }),
      logs: new AzureMonitorLogExporter({ connectionString }),
      metrics: new AzureMonitorMetricExporter({ connectionString }),
    };
  } catch {
    // Its message may quote the connection string: say only which setting is wrong.
    throw new Error('APPLICATIONINSIGHTS_CONNECTION_STRING: Application Insights could not be set up with it (InstrumentationKey=…;IngestionEndpoint=… expected)');
  }
  // The cloud role App Insights groups DealDesk's instances under (each instance is its host name).
  const resource = resourceFromAttributes({ 'service.name': 'dealdesk' });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporters.traces)] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor(exporters.logs)] });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: METRICS_INTERVAL_MS })],
  });
  const uninstall = installTracer(otelTracer(tracerProvider.getTracer('dealdesk')));
  const unmirror = mirrorMetrics(meterProvider.getMeter('dealdesk'));
  logger.info({}, 'telemetry: exporting requests, dependencies, exceptions, logs and metrics to Application Insights');
  return {
    logger: withLogRecords(logger, loggerProvider.getLogger('dealdesk'), options.logLevel),
    stop: async () => {
      uninstall();
      unmirror();
      const flushed = Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]).then(() => true, () => false);
      const inTime = await Promise.race([flushed, new Promise<false>((resolve) => setTimeout(resolve, FLUSH_BUDGET_MS, false).unref())]);
      context.disable();
      if (!inTime) logger.warn({}, 'telemetry: could not flush to Application Insights in time');
    },
  };
}
