import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one metrics registry (Prometheus text format, prom-client). Features add their series
 * here through `counter`, `gauge` and `histogram`; nothing else creates prom-client objects.
 *
 * Label hygiene is structural: every label is declared with its closed set of values, and a value
 * outside the set is recorded as `other`. A personal identifier, token or ref can therefore never
 * become a label value, whatever a caller passes.
 */
export type LabelSpec = Readonly<Record<string, readonly string[]>>;
export type LabelValues<S extends LabelSpec> = { readonly [K in keyof S]: string };

export type CounterSeries<S extends LabelSpec> = { inc(labels: LabelValues<S>, by?: number): void };
export type HistogramSeries<S extends LabelSpec> = { observe(labels: LabelValues<S>, value: number): void };
export type GaugeSeries<S extends LabelSpec> = { set(labels: LabelValues<S>, value: number): void };

export type SeriesOptions<S extends LabelSpec> = {
  /** Prometheus name: `consentkit_` then snake_case, with the unit last (`_seconds`, `_total`). */
  readonly name: string;
  readonly help: string;
  readonly labels: S;
};

export type GaugeOptions<S extends LabelSpec> = SeriesOptions<S> & {
  /** Called at each scrape to set the current values (a table count, a pool's usage…). */
  readonly collect?: (gauge: GaugeSeries<S>) => Promise<void> | void;
};

export type Metrics = {
  counter<S extends LabelSpec>(options: SeriesOptions<S>): CounterSeries<S>;
  histogram<S extends LabelSpec>(
    options: SeriesOptions<S> & { readonly buckets: readonly number[] },
  ): HistogramSeries<S>;
  gauge<S extends LabelSpec>(options: GaugeOptions<S>): GaugeSeries<S>;
  /** The exposition text for GET /metrics. */
  text(): Promise<string>;
  readonly contentType: string;
};

/** The label value recorded when a caller passes one outside the declared set. */
export const OTHER = 'other';

const NAME = /^consentkit_[a-z0-9_]+$/;

function hygienic<S extends LabelSpec>(spec: S, values: LabelValues<S>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, allowed] of Object.entries(spec)) {
    const value = values[label as keyof S];
    out[label] = value !== undefined && allowed.includes(value) ? value : OTHER;
  }
  return out;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const check = (name: string) => {
    if (!NAME.test(name)) throw new TypeError(`metric name ${name} must match ${NAME}`);
  };
  return {
    counter(options) {
      check(options.name);
      const counter = new Counter({
        name: options.name,
        help: options.help,
        labelNames: Object.keys(options.labels),
        registers: [registry],
      });
      return { inc: (labels, by = 1) => counter.inc(hygienic(options.labels, labels), by) };
    },
    histogram(options) {
      check(options.name);
      const histogram = new Histogram({
        name: options.name,
        help: options.help,
        labelNames: Object.keys(options.labels),
        buckets: [...options.buckets],
        registers: [registry],
      });
      return { observe: (labels, value) => histogram.observe(hygienic(options.labels, labels), value) };
    },
    gauge(options) {
      check(options.name);
      const series: GaugeSeries<typeof options.labels> = {
        set: (labels, value) => gauge.set(hygienic(options.labels, labels), value),
      };
      const collect = options.collect;
      const gauge: Gauge = new Gauge({
        name: options.name,
        help: options.help,
        labelNames: Object.keys(options.labels),
        registers: [registry],
        ...(collect ? { collect: () => collect(series) } : {}),
      });
      return series;
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
