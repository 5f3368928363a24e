/**
 * A tiny in-process metrics registry: counters and histograms with a few fixed labels, readable as
 * Prometheus text and mirrored to OpenTelemetry when that is on. No dependency: prom-client would pull in
 * more than these ~100 lines, and OpenTelemetry is loaded only when Application Insights is configured.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Instrument {
  readonly name: string;
  readonly help: string;
  readonly kind: 'counter' | 'histogram' | 'gauge';
}

/** Told of every recording (the OpenTelemetry bridge). */
export type MetricsListener = (instrument: Instrument, value: number, labels: Labels) => void;

const keyOf = (labels: Labels): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Label values come from fixed vocabularies in DealDesk's code; this keeps the exposition valid whatever they are. */
const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels, extra?: [string, string]): string => {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
};

export class Counter implements Instrument {
  readonly kind = 'counter';
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string, private readonly registry: Registry) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
    this.registry.notify(this, by, labels);
  }

  /** For tests. */
  value(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  text(): string[] {
    return [...this.values.values()].map(({ labels, value }) => `${this.name}${labelText(labels)} ${value}`);
  }
}

/** A value that goes up and down (the last one set, per labels). */
export class Gauge implements Instrument {
  readonly kind = 'gauge';
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string, private readonly registry: Registry) {}

  set(value: number, labels: Labels = {}): void {
    this.values.set(keyOf(labels), { labels, value });
    this.registry.notify(this, value, labels);
  }

  /** For tests. */
  value(labels: Labels = {}): number | undefined {
    return this.values.get(keyOf(labels))?.value;
  }

  text(): string[] {
    return [...this.values.values()].map(({ labels, value }) => `${this.name}${labelText(labels)} ${value}`);
  }
}

export class Histogram implements Instrument {
  readonly kind = 'histogram';
  private readonly values = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, private readonly bounds: readonly number[], private readonly registry: Registry) {}

  observe(value: number, labels: Labels = {}): void {
    if (!Number.isFinite(value)) return;
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((bound, i) => {
      if (value <= bound) entry.buckets[i] += 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.values.set(key, entry);
    this.registry.notify(this, value, labels);
  }

  /** For tests: how many observations. */
  count(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.count ?? 0;
  }

  text(): string[] {
    const lines: string[] = [];
    for (const { labels, buckets, sum, count } of this.values.values()) {
      this.bounds.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText(labels, ['le', String(bound)])} ${buckets[i]}`));
      lines.push(`${this.name}_bucket${labelText(labels, ['le', '+Inf'])} ${count}`, `${this.name}_sum${labelText(labels)} ${sum}`, `${this.name}_count${labelText(labels)} ${count}`);
    }
    return lines;
  }
}

export class Registry {
  private readonly instruments: Array<Counter | Histogram | Gauge> = [];
  private readonly listeners: MetricsListener[] = [];

  counter(name: string, help: string): Counter {
    const counter = new Counter(name, help, this);
    this.instruments.push(counter);
    return counter;
  }

  gauge(name: string, help: string): Gauge {
    const gauge = new Gauge(name, help, this);
    this.instruments.push(gauge);
    return gauge;
  }

  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    const histogram = new Histogram(name, help, bounds, this);
    this.instruments.push(histogram);
    return histogram;
  }

  list(): ReadonlyArray<Instrument> {
    return this.instruments;
  }

  /** Returns a function that removes the listener. */
  listen(listener: MetricsListener): () => void {
    this.listeners.push(listener);
    return () => void this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  notify(instrument: Instrument, value: number, labels: Labels): void {
    for (const listener of this.listeners) {
      try {
        listener(instrument, value, labels);
      } catch {
        // An exporter's failure must never fail a turn or a delivery.
      }
    }
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  prometheusText(): string {
    const lines: string[] = [];
    for (const instrument of this.instruments) {
      lines.push(`# HELP ${instrument.name} ${instrument.help}`, `# TYPE ${instrument.name} ${instrument.kind}`, ...instrument.text());
    }
    return `${lines.join('\n')}\n`;
  }
}
