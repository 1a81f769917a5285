import type { ClusterDriver, EvictionOutcome } from './types.js';

/**
 * A driver that knows no workloads and changes nothing: an aggregator that only collects
 * metrics (agents report; nothing is scaled or drained). Used by tests and `--driver none`.
 */
export class NoopDriver implements ClusterDriver {
  readonly kind = 'local' as const;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  nodes() { return []; }
  pods() { return []; }
  deployments() { return []; }
  disruptionBudgets() { return []; }
  synced(): boolean { return true; }
  onChange(): () => void { return () => undefined; }
  async scale(): Promise<void> {}
  async cordon(): Promise<{ alreadyCordoned: boolean }> { return { alreadyCordoned: false }; }
  async uncordon(): Promise<void> {}
  async evict(): Promise<EvictionOutcome> { return { kind: 'gone' }; }
}
