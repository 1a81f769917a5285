import type { Db } from '../../store/database.js';
import type { NodeState } from '../nodeState.js';
import type { RunState } from '../runState.js';
import type { PatchRequest } from './patchRequest.js';

/** Per node of a run, kept beside the machine state (not part of it). */
export interface NodeMeta {
  /** When this attempt left `pending` (ms); null while pending. */
  startedMs: number | null;
  /** Reason of the node's last patch.step event. */
  lastReason: string | null;
  /** The last output tail the agent reported for this node's command. */
  outputTail: string | null;
}

export interface StoredRun {
  readonly request: PatchRequest;
  readonly state: RunState;
  readonly meta: Record<string, NodeMeta>;
  readonly createdMs: number;
  readonly updatedMs: number;
}

interface RunRow {
  id: string;
  created_ms: number;
  updated_ms: number;
  request: string;
  state: string;
}

interface NodeRow {
  node: string;
  state: string;
  started_ms: number | null;
  last_reason: string | null;
  output_tail: string | null;
}

/** Past node durations for estimates (ms, oldest first). */
export interface DurationHistoryRows {
  readonly byNode: Record<string, number[]>;
  readonly fleet: number[];
}

/** Recent samples kept per node / for the fleet when estimating (durationEstimate.ts uses fewer). */
const HISTORY_LIMIT = 200;

/**
 * Patch runs in SQLite (tables in patchMigrations.ts): the run row holds the run machine's
 * state without nodes, each node its own row with the node machine's state. `saveRun` writes the
 * run and the given nodes in one transaction; it is synchronous, so the state is durable before
 * the runner performs the actions that came with it.
 */
export class PatchStore {
  private readonly insertRunStmt;
  private readonly updateRunStmt;
  private readonly upsertNodeStmt;
  private readonly metaStmt;
  private readonly runStmt;
  private readonly nodesStmt;
  private readonly activeStmt;
  private readonly listStmt;
  private readonly durationStmt;
  private readonly historyStmt;

  constructor(private readonly db: Db) {
    this.insertRunStmt = db.prepare('INSERT INTO patch_runs (id, created_ms, updated_ms, status, settled, request, state) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.updateRunStmt = db.prepare('UPDATE patch_runs SET updated_ms = ?, status = ?, settled = ?, state = ? WHERE id = ?');
    this.upsertNodeStmt = db.prepare(`
      INSERT INTO patch_run_nodes (run, node, position, step, state, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (run, node) DO UPDATE SET step = excluded.step, state = excluded.state, updated_ms = excluded.updated_ms`);
    this.metaStmt = db.prepare('UPDATE patch_run_nodes SET started_ms = ?, last_reason = ?, output_tail = ? WHERE run = ? AND node = ?');
    this.runStmt = db.prepare('SELECT id, created_ms, updated_ms, request, state FROM patch_runs WHERE id = ?');
    this.nodesStmt = db.prepare('SELECT node, state, started_ms, last_reason, output_tail FROM patch_run_nodes WHERE run = ? ORDER BY position');
    this.activeStmt = db.prepare('SELECT id FROM patch_runs WHERE settled = 0 ORDER BY created_ms').pluck();
    this.listStmt = db.prepare('SELECT id FROM patch_runs ORDER BY created_ms DESC, id DESC LIMIT ?').pluck();
    this.durationStmt = db.prepare('INSERT OR REPLACE INTO patch_node_durations (node, run, finished_ms, duration_ms) VALUES (?, ?, ?, ?)');
    this.historyStmt = db.prepare('SELECT node, duration_ms FROM patch_node_durations ORDER BY finished_ms DESC LIMIT ?');
  }

  /** Stores a new run with every node. */
  insertRun(request: PatchRequest, state: RunState, nowMs: number): void {
    this.db.transaction(() => {
      this.insertRunStmt.run(state.run, nowMs, nowMs, state.status, state.settled ? 1 : 0, JSON.stringify(request), JSON.stringify(withoutNodes(state)));
      state.order.forEach((n, i) => {
        const ns = state.nodes[n] as NodeState;
        this.upsertNodeStmt.run(state.run, n, i, ns.step, JSON.stringify(ns), nowMs);
      });
    })();
  }

  /** Writes the run row and the given nodes (those whose state changed) atomically. */
  saveRun(state: RunState, changedNodes: readonly string[], nowMs: number): void {
    this.db.transaction(() => {
      this.updateRunStmt.run(nowMs, state.status, state.settled ? 1 : 0, JSON.stringify(withoutNodes(state)), state.run);
      for (const n of changedNodes) {
        const ns = state.nodes[n];
        if (ns) this.upsertNodeStmt.run(state.run, n, state.order.indexOf(n), ns.step, JSON.stringify(ns), nowMs);
      }
    })();
  }

  saveMeta(run: string, node: string, meta: NodeMeta): void {
    this.metaStmt.run(meta.startedMs, meta.lastReason, meta.outputTail, run, node);
  }

  get(id: string): StoredRun | undefined {
    const row = this.runStmt.get(id) as RunRow | undefined;
    if (!row) return undefined;
    const nodes = this.nodesStmt.all(id) as NodeRow[];
    const base = JSON.parse(row.state) as Omit<RunState, 'nodes'>;
    const state: RunState = { ...base, nodes: Object.fromEntries(nodes.map((n) => [n.node, JSON.parse(n.state) as NodeState])) };
    const meta = Object.fromEntries(nodes.map((n) => [n.node, { startedMs: n.started_ms, lastReason: n.last_reason, outputTail: n.output_tail }]));
    return { request: JSON.parse(row.request) as PatchRequest, state, meta, createdMs: row.created_ms, updatedMs: row.updated_ms };
  }

  /** Runs not settled yet, oldest first. */
  active(): StoredRun[] {
    return (this.activeStmt.all() as string[]).flatMap((id) => {
      const r = this.get(id);
      return r ? [r] : [];
    });
  }

  /** The newest runs first. */
  list(limit = 50): StoredRun[] {
    return (this.listStmt.all(limit) as string[]).flatMap((id) => {
      const r = this.get(id);
      return r ? [r] : [];
    });
  }

  recordDuration(node: string, run: string, finishedMs: number, durationMs: number): void {
    this.durationStmt.run(node, run, finishedMs, Math.max(0, Math.round(durationMs)));
  }

  /** Recent successful node durations, oldest first, per node and for the fleet. */
  durationHistory(): DurationHistoryRows {
    const rows = (this.historyStmt.all(HISTORY_LIMIT) as { node: string; duration_ms: number }[]).reverse();
    const byNode: Record<string, number[]> = {};
    for (const r of rows) (byNode[r.node] ??= []).push(r.duration_ms);
    return { byNode, fleet: rows.map((r) => r.duration_ms) };
  }
}

function withoutNodes(state: RunState): Omit<RunState, 'nodes'> {
  const { nodes: _nodes, ...rest } = state;
  return rest;
}
