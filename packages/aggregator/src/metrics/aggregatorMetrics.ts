import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FleetState } from '../ingest/fleetState.js';
import { podCores } from '../ingest/fleetState.js';
import type { IngestCounters } from '../ingest/ingestService.js';
import type { PodIdentity } from '../ingest/podIdentity.js';
import type { PodState } from '../ingest/fleetState.js';
import { ChunkedGauge } from './chunkedGauge.js';

export interface AggregatorMetricsOptions {
  readonly fleet: FleetState;
  readonly identify: (pod: PodState) => PodIdentity;
  readonly agentsConnected: () => number;
  /** false: no per-pod series at all (large fleets scrape node and deployment series only). */
  readonly podSeries: boolean;
  /** At most this many per-pod series; the rest are counted in hms_sys_pod_series_dropped. */
  readonly maxPodSeries: number;
}

export interface AggregatorMetrics {
  readonly registry: Registry;
  readonly ingest: IngestCounters;
}

/**
 * The aggregator's Prometheus registry (SPEC §6). Point-in-time series are computed from the
 * fleet state at scrape time (collect, ChunkedGauge series), so series of vanished pods and nodes
 * disappear with them. Serve it with renderExposition (non-blocking); registry.metrics() gives
 * the same text in one synchronous go.
 */
export function createAggregatorMetrics(opts: AggregatorMetricsOptions): AggregatorMetrics {
  const registry = new Registry();
  const { fleet } = opts;

  // Per-pod and per-node families have a series per pod or node (150 000 and more on a large
  // fleet): ChunkedGauge renders them in slices so a scrape never blocks ingest for long.
  let droppedPodSeries = 0;
  new ChunkedGauge({
    name: 'hms_sys_pod_cpu_usage_cores',
    help: 'CPU used by a pod over the last collection interval, in cores.',
    labelNames: ['namespace', 'pod', 'node'],
    registers: [registry],
    *series() {
      let dropped = 0;
      try {
        if (!opts.podSeries) return;
        let n = 0;
        const out = { labels: ['', '', ''], value: 0 }; // reused for every pod (see GaugeSeries)
        // A snapshot: the render yields between slices while ingest goes on.
        for (const pod of [...fleet.pods()]) {
          if (pod.removed) continue;
          const cores = podCores(pod);
          if (Number.isNaN(cores)) continue;
          if (n >= opts.maxPodSeries) {
            dropped++;
            continue;
          }
          const id = opts.identify(pod);
          out.labels[0] = id.namespace;
          out.labels[1] = id.name;
          out.labels[2] = id.node;
          out.value = cores;
          yield out;
          n++;
        }
      } finally {
        droppedPodSeries = dropped;
      }
    },
  });
  new Gauge({
    name: 'hms_sys_pod_series_dropped',
    help: 'Pods without a hms_sys_pod_cpu_usage_cores series because --max-pod-series was reached.',
    registers: [registry],
    collect() {
      this.set(droppedPodSeries);
    },
  });
  new ChunkedGauge({
    name: 'hms_sys_node_cpu_usage_cores',
    help: 'CPU used on a node (all processes, from /proc/stat), in cores.',
    labelNames: ['node'],
    registers: [registry],
    *series() {
      for (const n of [...fleet.nodes()]) if (n.connected && n.cpuUsageCores !== undefined) yield { labels: [n.name], value: n.cpuUsageCores };
    },
  });
  new ChunkedGauge({
    name: 'hms_sys_node_connected',
    help: '1 when the node agent is connected and sending, 0 when it went silent.',
    labelNames: ['node'],
    registers: [registry],
    *series() {
      for (const n of [...fleet.nodes()]) yield { labels: [n.name], value: n.connected ? 1 : 0 };
    },
  });
  new ChunkedGauge({
    name: 'hms_sys_node_info',
    help: 'Identity of a node as its agent last reported it (always 1).',
    labelNames: ['node', 'kernel_version', 'os_image', 'boot_id'],
    registers: [registry],
    *series() {
      for (const n of [...fleet.nodes()]) yield { labels: [n.name, n.info.kernelVersion ?? '', n.info.osImage ?? '', n.info.bootId ?? ''], value: 1 };
    },
  });
  new Gauge({
    name: 'hms_sys_agents_connected',
    help: 'Agent connections currently open.',
    registers: [registry],
    collect() {
      this.set(opts.agentsConnected());
    },
  });
  const samples = new Counter({ name: 'hms_sys_ingest_samples_total', help: 'Container CPU samples ingested.', registers: [registry] });
  const batches = new Counter({ name: 'hms_sys_ingest_batches_total', help: 'Metric batches processed (duplicates excluded).', registers: [registry] });
  const duplicates = new Counter({ name: 'hms_sys_ingest_duplicate_batches_total', help: 'Replayed batches discarded because they were already processed.', registers: [registry] });
  const rejected = new Counter({
    name: 'hms_sys_ingest_rejected_frames_total',
    help: 'Agent frames or connections refused, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'hms_sys_ingest_lag_seconds',
    help: 'Time from collection on the node to processing here (includes clock skew between them).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    registry,
    ingest: {
      samples: (n) => samples.inc(n),
      batch: () => batches.inc(),
      duplicate: () => duplicates.inc(),
      rejected: (reason) => rejected.inc({ reason }),
      lag: (s) => lag.observe(s),
    },
  };
}
