import { Counter, Gauge, type Registry } from 'prom-client';
import { RUN_RESULT_LABELS, type LiveRun, type RunResultLabel } from './patchOrchestrator.js';

export interface PatchMetrics {
  /** Counts a run that settled, by result. */
  settled(result: RunResultLabel): void;
}

/**
 * SPEC §6 patch metrics:
 * - `hms_sys_patch_node_state{run,node,state}` gauge 1 for each node's current step, computed at
 *   scrape time from the runs in memory (unsettled ones, and settled ones for an hour), so series
 *   of old steps and old runs disappear by themselves;
 * - `hms_sys_patch_runs_total{result}` runs that settled: done (every node patched), partial
 *   (finished with nodes failed, blocked or skipped), halted (failure budget), cancelled. Every
 *   label starts at 0 so rate() and alerts see the series before the first run.
 */
export function registerPatchMetrics(registry: Registry, runs: () => readonly LiveRun[]): PatchMetrics {
  new Gauge({
    name: 'hms_sys_patch_node_state',
    help: 'Current step of each node of a patch run (1 for the current state).',
    labelNames: ['run', 'node', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of runs()) {
        for (const n of r.state.order) this.set({ run: r.state.run, node: n, state: r.state.nodes[n]?.step ?? 'pending' }, 1);
      }
    },
  });
  const total = new Counter({
    name: 'hms_sys_patch_runs_total',
    help: 'Patch runs that settled, by result (done, partial, halted, cancelled).',
    labelNames: ['result'],
    registers: [registry],
  });
  for (const result of RUN_RESULT_LABELS) total.inc({ result }, 0);
  return { settled: (result) => total.inc({ result }) };
}
