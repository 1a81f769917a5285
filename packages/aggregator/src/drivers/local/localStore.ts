import type { Db } from '../../store/database.js';
import type { DeploymentManifest, DisruptionBudgetManifest } from './manifests.js';

/** One stored pod's process: enough to kill it safely after a crash (pid + start time). */
export interface StoredPid {
  readonly container: string;
  readonly pid: number;
  /** /proc/<pid>/stat start time (clock ticks); guards against a recycled pid. */
  readonly startTicks?: number;
}

export interface StoredDeployment {
  readonly manifest: DeploymentManifest;
  readonly replicas: number;
  readonly createdMs: number;
}

export interface StoredNode {
  readonly name: string;
  readonly virtual: boolean;
  readonly unschedulable: boolean;
  readonly bootId: string;
  readonly kernelRelease: string;
  readonly pendingKernelRelease?: string;
}

export interface StoredPod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly deployment: string;
  readonly templateHash: string;
  readonly node?: string;
  readonly phase: string;
  readonly createdMs: number;
  readonly deletedMs?: number;
  readonly restartCount: number;
  readonly lastExitReason?: string;
  readonly status: unknown;
  readonly pids: readonly StoredPid[];
}

/** The local driver's tables (localDriverMigrations.ts), one small method per statement. */
export class LocalStore {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  loadDeployments(): StoredDeployment[] {
    const rows = this.db.prepare('SELECT spec, replicas, created_ms FROM local_deployments ORDER BY namespace, name').all() as { spec: string; replicas: number; created_ms: number }[];
    return rows.map((r) => ({ manifest: JSON.parse(r.spec) as DeploymentManifest, replicas: r.replicas, createdMs: r.created_ms }));
  }

  saveDeployment(d: StoredDeployment): void {
    this.db
      .prepare(
        `INSERT INTO local_deployments (namespace, name, spec, replicas, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (namespace, name) DO UPDATE SET spec = excluded.spec, replicas = excluded.replicas, updated_ms = excluded.updated_ms`,
      )
      .run(d.manifest.namespace, d.manifest.name, JSON.stringify(d.manifest), d.replicas, d.createdMs, this.now());
  }

  setReplicas(namespace: string, name: string, replicas: number): void {
    this.db.prepare('UPDATE local_deployments SET replicas = ?, updated_ms = ? WHERE namespace = ? AND name = ?').run(replicas, this.now(), namespace, name);
  }

  deleteDeployment(namespace: string, name: string): void {
    this.db.prepare('DELETE FROM local_deployments WHERE namespace = ? AND name = ?').run(namespace, name);
  }

  loadBudgets(): DisruptionBudgetManifest[] {
    return (this.db.prepare('SELECT spec FROM local_budgets ORDER BY namespace, name').pluck().all() as string[]).map((s) => JSON.parse(s) as DisruptionBudgetManifest);
  }

  saveBudget(b: DisruptionBudgetManifest): void {
    this.db
      .prepare('INSERT INTO local_budgets (namespace, name, spec, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT (namespace, name) DO UPDATE SET spec = excluded.spec')
      .run(b.namespace, b.name, JSON.stringify(b), this.now());
  }

  deleteBudget(namespace: string, name: string): boolean {
    return this.db.prepare('DELETE FROM local_budgets WHERE namespace = ? AND name = ?').run(namespace, name).changes > 0;
  }

  loadNodes(): StoredNode[] {
    const rows = this.db.prepare('SELECT * FROM local_nodes ORDER BY name').all() as {
      name: string;
      virtual: number;
      unschedulable: number;
      boot_id: string;
      kernel_release: string;
      pending_kernel_release: string | null;
    }[];
    return rows.map((r) => ({
      name: r.name,
      virtual: r.virtual === 1,
      unschedulable: r.unschedulable === 1,
      bootId: r.boot_id,
      kernelRelease: r.kernel_release,
      ...(r.pending_kernel_release ? { pendingKernelRelease: r.pending_kernel_release } : {}),
    }));
  }

  saveNode(n: StoredNode): void {
    this.db
      .prepare(
        `INSERT INTO local_nodes (name, virtual, unschedulable, boot_id, kernel_release, pending_kernel_release, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET virtual = excluded.virtual, unschedulable = excluded.unschedulable, boot_id = excluded.boot_id,
           kernel_release = excluded.kernel_release, pending_kernel_release = excluded.pending_kernel_release, updated_ms = excluded.updated_ms`,
      )
      .run(n.name, n.virtual ? 1 : 0, n.unschedulable ? 1 : 0, n.bootId, n.kernelRelease, n.pendingKernelRelease ?? null, this.now());
  }

  /** Drops nodes that are not part of this run (e.g. `--nodes 3` after `--nodes 5`). */
  deleteNodesExcept(names: readonly string[]): void {
    const keep = new Set(names);
    for (const n of this.loadNodes()) if (!keep.has(n.name)) this.db.prepare('DELETE FROM local_nodes WHERE name = ?').run(n.name);
  }

  loadPods(): StoredPod[] {
    const rows = this.db.prepare('SELECT * FROM local_pods ORDER BY created_ms').all() as {
      uid: string;
      namespace: string;
      name: string;
      deployment: string;
      template_hash: string;
      node: string | null;
      phase: string;
      created_ms: number;
      deleted_ms: number | null;
      restart_count: number;
      last_exit_reason: string | null;
      status: string;
      pids: string;
    }[];
    return rows.map((r) => ({
      uid: r.uid,
      namespace: r.namespace,
      name: r.name,
      deployment: r.deployment,
      templateHash: r.template_hash,
      ...(r.node !== null ? { node: r.node } : {}),
      phase: r.phase,
      createdMs: r.created_ms,
      ...(r.deleted_ms !== null ? { deletedMs: r.deleted_ms } : {}),
      restartCount: r.restart_count,
      ...(r.last_exit_reason !== null ? { lastExitReason: r.last_exit_reason } : {}),
      status: JSON.parse(r.status) as unknown,
      pids: JSON.parse(r.pids) as StoredPid[],
    }));
  }

  savePod(p: StoredPod): void {
    this.db
      .prepare(
        `INSERT INTO local_pods (uid, namespace, name, deployment, template_hash, node, phase, created_ms, deleted_ms, restart_count, last_exit_reason, status, pids)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (uid) DO UPDATE SET node = excluded.node, phase = excluded.phase, deleted_ms = excluded.deleted_ms,
           restart_count = excluded.restart_count, last_exit_reason = excluded.last_exit_reason, status = excluded.status, pids = excluded.pids`,
      )
      .run(
        p.uid,
        p.namespace,
        p.name,
        p.deployment,
        p.templateHash,
        p.node ?? null,
        p.phase,
        p.createdMs,
        p.deletedMs ?? null,
        p.restartCount,
        p.lastExitReason ?? null,
        JSON.stringify(p.status ?? []),
        JSON.stringify(p.pids),
      );
  }

  deletePod(uid: string): void {
    this.db.prepare('DELETE FROM local_pods WHERE uid = ?').run(uid);
  }

  deleteAllPods(): void {
    this.db.prepare('DELETE FROM local_pods').run();
  }
}
