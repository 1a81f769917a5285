import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ChunkedGauge } from '../metrics/chunkedGauge.js';
import type { AutoscalerCounters, AutoscalerLoop } from './autoscalerLoop.js';

/** SPEC §6 autoscaler series, computed from the loop's rules at scrape time. */
export function registerAutoscalerMetrics(registry: Registry, loop: () => AutoscalerLoop | undefined): AutoscalerCounters {
  const labels = ['namespace', 'deployment'];
  // A series per rule and family (10 000 rules = 60 000 series): rendered in slices, see ChunkedGauge.
  const gauge = (name: string, help: string, value: (r: ReturnType<AutoscalerLoop['all']> extends Generator<infer T> ? T : never) => number | null): void => {
    new ChunkedGauge({
      name, help, labelNames: labels, registers: [registry],
      *series() {
        const l = loop();
        if (!l) return;
        for (const r of [...l.all()]) {
          const v = value(r);
          if (v !== null && Number.isFinite(v)) yield { labels: [r.namespace, r.name], value: v };
        }
      },
    });
  };
  gauge('hms_sys_autoscaler_cpu_utilization_ratio', 'Average CPU utilization of the target\'s pods over their requests, as the HPA computes it (0-1+).',
    (r) => (r.status.currentCPUUtilizationPercentage === null ? null : r.status.currentCPUUtilizationPercentage / 100));
  gauge('hms_sys_autoscaler_target_utilization_ratio', 'Target CPU utilization of the rule (0-1+).', (r) => r.spec.targetCPUUtilizationPercentage / 100);
  gauge('hms_sys_autoscaler_current_replicas', 'Replicas of the target Deployment (spec.replicas) at the last evaluation.', (r) => r.status.currentReplicas);
  gauge('hms_sys_autoscaler_desired_replicas', 'Replicas the autoscaler decided at the last evaluation.', (r) => r.status.desiredReplicas);
  gauge('hms_sys_autoscaler_min_replicas', 'Lower bound of the rule.', (r) => r.spec.minReplicas);
  gauge('hms_sys_autoscaler_max_replicas', 'Upper bound of the rule.', (r) => r.spec.maxReplicas);
  new Gauge({
    name: 'hms_sys_autoscalers', help: 'Scaling rules loaded.', registers: [registry],
    collect() { this.set(loop()?.size ?? 0); },
  });
  const scaleEvents = new Counter({
    name: 'hms_sys_autoscaler_scale_events_total',
    help: 'Rescales applied, by direction.',
    labelNames: ['namespace', 'deployment', 'direction'],
    registers: [registry],
  });
  const evalDuration = new Histogram({
    name: 'hms_sys_autoscaler_evaluation_duration_seconds',
    help: 'Time to evaluate one rule (pure decision, without the scale call).',
    buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05],
    registers: [registry],
  });
  return {
    scaled: (namespace, deployment, direction) => scaleEvents.inc({ namespace, deployment, direction }),
    evaluated: (s) => evalDuration.observe(s),
  };
}
