import type { INodeInfo } from '@hms-sys/protocol';
import type { Db } from './database.js';

export interface StoredNode {
  readonly name: string;
  readonly bootId: string;
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly agentVersion: string;
  readonly simulatedBoot: boolean;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** The node registry: every node whose agent ever connected, with its last known identity. */
export class NodeStore {
  private readonly upsertStmt;
  private readonly touchStmt;
  private readonly listStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(`
      INSERT INTO nodes (name, boot_id, kernel_version, os_image, cpu_cores, memory_bytes, agent_version, simulated_boot, first_seen_ms, last_seen_ms)
      VALUES (@name, @bootId, @kernelVersion, @osImage, @cpuCores, @memoryBytes, @agentVersion, @simulatedBoot, @now, @now)
      ON CONFLICT (name) DO UPDATE SET boot_id = excluded.boot_id, kernel_version = excluded.kernel_version,
        os_image = excluded.os_image, cpu_cores = excluded.cpu_cores, memory_bytes = excluded.memory_bytes,
        agent_version = excluded.agent_version, simulated_boot = excluded.simulated_boot, last_seen_ms = excluded.last_seen_ms`);
    this.touchStmt = db.prepare('UPDATE nodes SET last_seen_ms = ? WHERE name = ?');
    this.listStmt = db.prepare('SELECT * FROM nodes ORDER BY name');
    this.deleteStmt = db.prepare('DELETE FROM nodes WHERE name = ?');
  }

  upsert(name: string, info: INodeInfo, agentVersion: string, nowMs: number): void {
    this.upsertStmt.run({
      name,
      bootId: info.bootId ?? '',
      kernelVersion: info.kernelVersion ?? '',
      osImage: info.osImage ?? '',
      cpuCores: Number(info.cpuCores ?? 0),
      memoryBytes: Number(info.memoryBytes ?? 0),
      agentVersion,
      simulatedBoot: info.simulatedBoot ? 1 : 0,
      now: nowMs,
    });
  }

  touch(name: string, nowMs: number): void {
    this.touchStmt.run(nowMs, name);
  }

  list(): StoredNode[] {
    return (this.listStmt.all() as Record<string, unknown>[]).map((r) => ({
      name: String(r.name),
      bootId: String(r.boot_id),
      kernelVersion: String(r.kernel_version),
      osImage: String(r.os_image),
      cpuCores: Number(r.cpu_cores),
      memoryBytes: Number(r.memory_bytes),
      agentVersion: String(r.agent_version),
      simulatedBoot: Number(r.simulated_boot) === 1,
      firstSeenMs: Number(r.first_seen_ms),
      lastSeenMs: Number(r.last_seen_ms),
    }));
  }

  delete(name: string): void {
    this.deleteStmt.run(name);
  }
}
