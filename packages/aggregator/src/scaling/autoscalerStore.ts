import type { AutoscalerCondition, AutoscalerHistory } from '../autoscaler/types.js';
import type { Db } from '../store/database.js';

/** A stored rule: the target Deployment and the SPEC §5 autoscaler object as the user gave it. */
export interface StoredAutoscaler {
  readonly namespace: string;
  readonly name: string;
  readonly spec: Record<string, unknown>;
  readonly createdMs: number;
  readonly updatedMs: number;
}

/** The last status of a rule, as `get hpa` / `describe hpa` show it. */
export interface AutoscalerStatus {
  readonly currentReplicas: number | null;
  readonly desiredReplicas: number | null;
  readonly currentCPUUtilizationPercentage: number | null;
  readonly conditions: readonly AutoscalerCondition[];
  readonly lastScaleTimeMs: number | null;
  readonly lastEvaluatedMs: number | null;
  readonly message: string | null;
}

export interface DecisionRecord {
  readonly id?: number;
  readonly namespace: string;
  readonly name: string;
  readonly timeMs: number;
  readonly current: number;
  readonly desired: number;
  readonly recommendation: number | null;
  readonly utilization: number | null;
  readonly reason: string | null;
  readonly limitReason: string | null;
  readonly conditions: readonly AutoscalerCondition[];
  /** Inputs in brief: pods counted, ready, missing, usage and request sums. */
  readonly inputs: Record<string, unknown>;
}

export const EMPTY_STATUS: AutoscalerStatus = {
  currentReplicas: null, desiredReplicas: null, currentCPUUtilizationPercentage: null, conditions: [],
  lastScaleTimeMs: null, lastEvaluatedMs: null, message: null,
};

/** Keeps at most this many decisions per rule. */
export const DECISIONS_KEPT_PER_RULE = 200;

/** Rules, their persisted controller state, and decision history. */
export class AutoscalerStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      upsert: db.prepare(`INSERT INTO autoscalers (namespace, name, spec, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (namespace, name) DO UPDATE SET spec = excluded.spec, updated_ms = excluded.updated_ms`),
      get: db.prepare('SELECT * FROM autoscalers WHERE namespace = ? AND name = ?'),
      list: db.prepare('SELECT * FROM autoscalers ORDER BY namespace, name'),
      delete: db.prepare('DELETE FROM autoscalers WHERE namespace = ? AND name = ?'),
      deleteState: db.prepare('DELETE FROM autoscaler_state WHERE namespace = ? AND name = ?'),
      deleteDecisions: db.prepare('DELETE FROM autoscaler_decisions WHERE namespace = ? AND name = ?'),
      getState: db.prepare('SELECT history, status FROM autoscaler_state WHERE namespace = ? AND name = ?'),
      putState: db.prepare(`INSERT INTO autoscaler_state (namespace, name, history, status, updated_ms) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (namespace, name) DO UPDATE SET history = excluded.history, status = excluded.status, updated_ms = excluded.updated_ms`),
      addDecision: db.prepare(`INSERT INTO autoscaler_decisions (namespace, name, time_ms, current, desired, recommendation, utilization, reason, limit_reason, conditions, inputs)
        VALUES (@namespace, @name, @timeMs, @current, @desired, @recommendation, @utilization, @reason, @limitReason, @conditions, @inputs)`),
      trimDecisions: db.prepare(`DELETE FROM autoscaler_decisions WHERE namespace = ? AND name = ? AND id <= (
        SELECT id FROM autoscaler_decisions WHERE namespace = ? AND name = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`),
      decisions: db.prepare('SELECT * FROM autoscaler_decisions WHERE namespace = ? AND name = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  put(namespace: string, name: string, spec: Record<string, unknown>, nowMs: number): { created: boolean } {
    const existed = this.stmts.get.get(namespace, name) !== undefined;
    this.stmts.upsert.run(namespace, name, JSON.stringify(spec), nowMs, nowMs);
    return { created: !existed };
  }

  get(namespace: string, name: string): StoredAutoscaler | undefined {
    const row = this.stmts.get.get(namespace, name) as Record<string, unknown> | undefined;
    return row ? toStored(row) : undefined;
  }

  list(): StoredAutoscaler[] {
    return (this.stmts.list.all() as Record<string, unknown>[]).map(toStored);
  }

  delete(namespace: string, name: string): boolean {
    return this.db.transaction(() => {
      this.stmts.deleteState.run(namespace, name);
      this.stmts.deleteDecisions.run(namespace, name);
      return this.stmts.delete.run(namespace, name).changes > 0;
    })();
  }

  state(namespace: string, name: string): { history: AutoscalerHistory | null; status: AutoscalerStatus } {
    const row = this.stmts.getState.get(namespace, name) as { history: string; status: string } | undefined;
    if (!row) return { history: null, status: EMPTY_STATUS };
    return { history: JSON.parse(row.history) as AutoscalerHistory, status: JSON.parse(row.status) as AutoscalerStatus };
  }

  /** Saves states of several rules in one transaction. */
  saveStates(items: readonly { namespace: string; name: string; history: AutoscalerHistory; status: AutoscalerStatus }[], nowMs: number): void {
    if (items.length === 0) return;
    this.db.transaction(() => {
      for (const it of items) this.stmts.putState.run(it.namespace, it.name, JSON.stringify(it.history), JSON.stringify(it.status), nowMs);
    })();
  }

  addDecision(d: DecisionRecord): number {
    const id = Number(this.stmts.addDecision.run({
      ...d, conditions: JSON.stringify(d.conditions), inputs: JSON.stringify(d.inputs),
    }).lastInsertRowid);
    this.stmts.trimDecisions.run(d.namespace, d.name, d.namespace, d.name, DECISIONS_KEPT_PER_RULE);
    return id;
  }

  decisions(namespace: string, name: string, limit: number): DecisionRecord[] {
    return (this.stmts.decisions.all(namespace, name, limit) as Record<string, unknown>[]).map((r) => ({
      id: Number(r.id),
      namespace: String(r.namespace),
      name: String(r.name),
      timeMs: Number(r.time_ms),
      current: Number(r.current),
      desired: Number(r.desired),
      recommendation: r.recommendation === null ? null : Number(r.recommendation),
      utilization: r.utilization === null ? null : Number(r.utilization),
      reason: (r.reason as string | null) ?? null,
      limitReason: (r.limit_reason as string | null) ?? null,
      conditions: JSON.parse(String(r.conditions)) as AutoscalerCondition[],
      inputs: JSON.parse(String(r.inputs)) as Record<string, unknown>,
    }));
  }
}

function toStored(row: Record<string, unknown>): StoredAutoscaler {
  return {
    namespace: String(row.namespace),
    name: String(row.name),
    spec: JSON.parse(String(row.spec)) as Record<string, unknown>,
    createdMs: Number(row.created_ms),
    updatedMs: Number(row.updated_ms),
  };
}
