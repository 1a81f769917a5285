import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import type { FleetState } from '../ingest/fleetState.js';
import type { AutoscalerLoop } from '../scaling/autoscalerLoop.js';
import type { ClusterView } from '../drivers/types.js';
import type { EventLog } from './eventLog.js';
import { EventType } from './eventTypes.js';

/** Most node and deployment entries one summary carries; totals always cover everything. */
export const SUMMARY_MAX_ENTRIES = 500;

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Publishes a `summary` event every interval (SPEC §8) so HMS-OPS can draw live charts from the
 * feed alone: per node (connected, CPU cores used, pods) and per deployment (replicas, ready,
 * autoscaler utilization against target). Large fleets get the first SUMMARY_MAX_ENTRIES of each
 * plus fleet totals, keeping one event small.
 */
export class SummaryPublisher {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly events: EventLog,
    private readonly fleet: FleetState,
    private readonly view: ClusterView,
    private readonly autoscaler: AutoscalerLoop,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs > 0) this.timer = this.clock.setInterval(() => this.publish(), this.intervalMs);
  }

  stop(): void {
    this.timer?.cancel();
  }

  /** Builds and appends one summary event. */
  publish(): void {
    try {
      const nodes = [...this.fleet.nodes()];
      const deployments = this.view.deployments();
      let cpu = 0;
      let connected = 0;
      for (const n of nodes) {
        if (!n.connected) continue;
        connected++;
        cpu += n.cpuUsageCores ?? 0;
      }
      this.events.append(EventType.Summary, {
        intervalSeconds: this.intervalMs / 1000,
        totals: { nodes: nodes.length, connected, cpuUsageCores: round(cpu), pods: this.fleet.podCount, deployments: deployments.length },
        nodes: nodes.slice(0, SUMMARY_MAX_ENTRIES).map((n) => ({
          name: n.name, connected: n.connected, cpuUsageCores: n.cpuUsageCores === undefined ? null : round(n.cpuUsageCores), pods: n.pods.size,
        })),
        deployments: deployments.slice(0, SUMMARY_MAX_ENTRIES).map((d) => {
          const rule = this.autoscaler.rule(d.namespace, d.name);
          return {
            namespace: d.namespace, name: d.name, replicas: d.replicas, readyReplicas: d.readyReplicas,
            desiredReplicas: rule?.status.desiredReplicas ?? null,
            cpuUtilizationPercent: rule?.status.currentCPUUtilizationPercentage ?? null,
            targetCPUUtilizationPercentage: rule?.spec.targetCPUUtilizationPercentage ?? null,
          };
        }),
      });
    } catch (err) {
      this.logger.warn({ err }, 'summary event failed');
    }
  }
}
