/**
 * How long patching one node will take (cordon to health gate), from history. Window-fit
 * scheduling (canStartNode) needs a number that is rarely too small, so the estimate is a high
 * percentile, never an average.
 */

/** Estimate when there is no history at all: 15 min (ms). Covers a drain, a package upgrade and a reboot on a typical node. */
export const DEFAULT_NODE_PATCH_ESTIMATE_MS = 15 * 60_000;
/** Own samples needed before a node's history is trusted on its own. */
export const MIN_NODE_SAMPLES = 3;
/** Most recent samples considered per node / per fleet (older ones describe an older fleet). */
export const RECENT_NODE_SAMPLES = 20;
export const RECENT_FLEET_SAMPLES = 100;
/** Percentile used (nearest rank). */
export const ESTIMATE_PERCENTILE = 0.95;

export interface DurationHistory {
  /** This node's past successful patch durations in ms, oldest first. */
  readonly nodeDurationsMs?: readonly number[];
  /** Past successful patch durations of every node in the fleet in ms, oldest first. */
  readonly fleetDurationsMs?: readonly number[];
}

export interface DurationEstimate {
  readonly estimateMs: number;
  /** Where the number came from: enough own samples, the fleet (plus own samples), or the default. */
  readonly basis: 'node' | 'fleet' | 'default';
  /** Samples the estimate was computed from. */
  readonly samples: number;
}

/** Nearest-rank percentile of finite non-negative samples; undefined when there are none. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  const sorted = samples.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1];
}

function recent(samples: readonly number[] | undefined, n: number): number[] {
  return (samples ?? []).filter((x) => Number.isFinite(x) && x >= 0).slice(-n);
}

/**
 * The estimate, in ms:
 * - at least MIN_NODE_SAMPLES own samples: p95 of the node's last RECENT_NODE_SAMPLES;
 * - else, with fleet samples: max(p95 of the fleet's last RECENT_FLEET_SAMPLES, the node's own
 *   slowest sample) — a node known to be slow is never estimated faster than it has been;
 * - else the node's own slowest sample, if any (basis 'node');
 * - else DEFAULT_NODE_PATCH_ESTIMATE_MS.
 * Pure; the result is an integer number of ms.
 */
export function estimateNodeDurationMs(history: DurationHistory, defaultMs = DEFAULT_NODE_PATCH_ESTIMATE_MS): DurationEstimate {
  const own = recent(history.nodeDurationsMs, RECENT_NODE_SAMPLES);
  const fleet = recent(history.fleetDurationsMs, RECENT_FLEET_SAMPLES);
  if (own.length >= MIN_NODE_SAMPLES) {
    return { estimateMs: Math.ceil(percentile(own, ESTIMATE_PERCENTILE) as number), basis: 'node', samples: own.length };
  }
  const ownMax = own.length > 0 ? Math.max(...own) : 0;
  if (fleet.length > 0) {
    const p = percentile(fleet, ESTIMATE_PERCENTILE) as number;
    return { estimateMs: Math.ceil(Math.max(p, ownMax)), basis: 'fleet', samples: fleet.length + own.length };
  }
  if (own.length > 0) return { estimateMs: Math.ceil(ownMax), basis: 'node', samples: own.length };
  return { estimateMs: defaultMs, basis: 'default', samples: 0 };
}
