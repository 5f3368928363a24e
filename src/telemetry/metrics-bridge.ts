import type { Meter } from '@opentelemetry/api';
import { registry } from '../metrics/metrics';

/**
 * Mirrors every recording in DealDesk's metrics registry (src/metrics) to an OpenTelemetry instrument of the
 * same name and labels, so the counters and histograms /metrics serves reach Application Insights as
 * customMetrics under the same names. Returns the function that stops mirroring.
 */
export function mirrorMetrics(meter: Meter): () => void {
  const record = new Map<string, (value: number, labels: Record<string, string>) => void>();
  for (const instrument of registry.list()) {
    if (instrument.kind === 'counter') {
      const counter = meter.createCounter(instrument.name, { description: instrument.help });
      record.set(instrument.name, (value, labels) => counter.add(value, labels));
    } else if (instrument.kind === 'gauge') {
      const gauge = meter.createGauge(instrument.name, { description: instrument.help });
      record.set(instrument.name, (value, labels) => gauge.record(value, labels));
    } else {
      const histogram = meter.createHistogram(instrument.name, { description: instrument.help, unit: 'ms' });
      record.set(instrument.name, (value, labels) => histogram.record(value, labels));
    }
  }
  return registry.listen((instrument, value, labels) => record.get(instrument.name)?.(value, { ...labels }));
}
