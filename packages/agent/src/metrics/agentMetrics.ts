import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The agent's own Prometheus metrics (SPEC §6: collection duration, cgroups scanned, unacked batches, reconnects). */
export interface AgentMetrics {
  readonly registry: Registry;
  readonly collectionDuration: Histogram;
  readonly cgroupsScanned: Gauge;
  readonly podsSeen: Gauge;
  readonly readErrors: Counter;
  readonly batchesSent: Counter;
  readonly droppedBatches: Counter;
}

export function createAgentMetrics(live: { unacked: () => number; reconnects: () => number; connected: () => boolean }): AgentMetrics {
  const registry = new Registry();
  const collectionDuration = new Histogram({
    name: 'hms_sys_agent_collection_duration_seconds',
    help: 'Time one collection cycle took (all cgroups and /proc reads).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const cgroupsScanned = new Gauge({ name: 'hms_sys_agent_cgroups_scanned', help: 'Cgroups read in the last collection.', registers: [registry] });
  const podsSeen = new Gauge({ name: 'hms_sys_agent_pods', help: 'Pods (workloads) found in the last collection.', registers: [registry] });
  const readErrors = new Counter({ name: 'hms_sys_agent_read_errors_total', help: 'Cgroup or /proc files that vanished, were unreadable or malformed.', registers: [registry] });
  const batchesSent = new Counter({ name: 'hms_sys_agent_batches_total', help: 'Metric batches produced.', registers: [registry] });
  const droppedBatches = new Counter({ name: 'hms_sys_agent_dropped_batches_total', help: 'Unacknowledged batches dropped because the replay buffer was full.', registers: [registry] });
  new Gauge({
    name: 'hms_sys_agent_unacked_batches',
    help: 'Batches waiting for the aggregator to acknowledge them.',
    registers: [registry],
    collect() {
      this.set(live.unacked());
    },
  });
  new Counter({
    name: 'hms_sys_agent_reconnects_total',
    help: 'Reconnections to the aggregator.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(live.reconnects());
    },
  });
  new Gauge({
    name: 'hms_sys_agent_connected',
    help: '1 while the stream to the aggregator is up.',
    registers: [registry],
    collect() {
      this.set(live.connected() ? 1 : 0);
    },
  });
  return { registry, collectionDuration, cgroupsScanned, podsSeen, readErrors, batchesSent, droppedBatches };
}
