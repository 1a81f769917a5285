import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, busyDeployment, cgroupSkipReason, hierarchies, readInts, RealEnv, waitFor } from './realHelpers.js';
import type { LocalDriver } from '../../../src/drivers/local/localDriver.js';

const skip = cgroupSkipReason();
if (skip) console.log(`[local driver] SKIPPING real-cgroup tests: ${skip}`);

const running = (d: LocalDriver, n: number) => {
  const rows = d.listPodStatuses().filter((r) => r.status === 'Running' && r.pids.length === 1);
  return rows.length === n && d.listPodStatuses().length === n ? rows : undefined;
};

describe.skipIf(skip !== undefined)('local driver with real processes in real cgroups (root)', () => {
  let env: RealEnv;
  afterEach(async () => {
    await env.cleanup();
  });

  it('runs a Deployment in real cgroups, scales it 2 -> 3 -> 1, and leaves nothing behind on stop', async () => {
    env = new RealEnv();
    const d = env.driver();
    await d.start();
    expect(d.mode().mode).toBe('cgroup');
    expect(d.apply(busyDeployment('burner', 2)).results).toEqual([{ kind: 'Deployment', namespace: 'default', name: 'burner', action: 'created' }]);
    const rows = await waitFor('2 running pods', () => running(d, 2));
    const v1acct = hierarchies.find((h) => h.version === 1 && h.controllers.includes('cpuacct'));
    const v1cpu = hierarchies.find((h) => h.version === 1 && h.controllers.includes('cpu'));
    const v2 = hierarchies.find((h) => h.version === 2);
    for (const r of rows) {
      const pid = r.pids[0]!;
      const dirs = d.containerCgroupDirs(r.node, r.uid, 'burn');
      expect(dirs).toHaveLength(hierarchies.length);
      // the wrapper joins every cgroup before exec: wait for it, then the pid is in all of them
      await waitFor(`pid ${pid} in its cgroups`, () => dirs.every((dir) => readInts(join(dir, 'cgroup.procs')).includes(pid)), 5000, 10);
      // …and then execs the user's command in place (same pid)
      await waitFor(`pid ${pid} to exec the command`, () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '/bin/sh\0-c\0while :; do :; done\0', 5000, 10);
      if (v2) expect(readInts(join(v2.mountPoint, env.parent, r.node, r.uid, 'burn', 'cgroup.procs'))).toContain(pid);
      if (v1cpu) {
        const dir = join(v1cpu.mountPoint, env.parent, r.node, r.uid, 'burn');
        expect(readFileSync(join(dir, 'cpu.shares'), 'utf8').trim()).toBe('102'); // 100m request
        expect(readFileSync(join(dir, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('20000'); // 200m limit
        expect(readFileSync(join(v1cpu.mountPoint, env.parent, r.node, r.uid, 'cpu.shares'), 'utf8').trim()).toBe('102');
      }
      // the process really is the user's command, with the pod identity in its environment
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain(`HMS_SYS_POD_UID=${r.uid}`);
      expect(environ).toContain(`HMS_SYS_POD_NAME=${r.name}`);
      expect(environ.some((e) => e.startsWith('HMS_SYS_NODE_NAME='))).toBe(true);
    }
    if (v1acct) {
      const r = rows[0]!;
      const usage = join(v1acct.mountPoint, env.parent, r.node, r.uid, 'burn', 'cpuacct.usage');
      const before = Number(readFileSync(usage, 'utf8'));
      await waitFor('cpuacct.usage to grow by 20 ms', () => Number(readFileSync(usage, 'utf8')) > before + 20_000_000, 10_000);
    }
    if (v2) {
      const r = rows[0]!;
      const stat = join(v2.mountPoint, env.parent, r.node, r.uid, 'cpu.stat');
      expect(Number(/usage_usec (\d+)/.exec(readFileSync(stat, 'utf8'))?.[1])).toBeGreaterThan(0);
    }
    // the ClusterView agrees
    expect(d.pods().filter((p) => p.phase === 'Running')).toHaveLength(2);
    expect(d.deployments()).toMatchObject([{ name: 'burner', replicas: 2 }]);

    await d.scale('default', 'burner', 3);
    const three = await waitFor('3 running pods', () => running(d, 3));
    await d.scale('default', 'burner', 1);
    const one = await waitFor('1 pod left', () => running(d, 1));
    const gone = three.filter((r) => r.uid !== one[0]!.uid);
    for (const r of gone) {
      await waitFor(`pid ${r.pids[0]} to die`, () => !alive(r.pids[0]!));
      await waitFor(`cgroups of ${r.name} removed`, () => d.containerCgroupDirs(r.node, r.uid, 'burn').every((dir) => !existsSync(dir)), 5000);
      expect(d.pods().some((p) => p.uid === r.uid)).toBe(false);
    }

    const allPids = [...rows, ...three, ...one].flatMap((r) => r.pids);
    await d.stop();
    for (const pid of allPids) expect(alive(pid)).toBe(false);
    expect(env.parentDirs()).toEqual([]);
  });

  it('restarts a crashing container with back-off and shows restarts and the last exit', async () => {
    env = new RealEnv();
    const d = env.driver();
    await d.start();
    d.apply(busyDeployment('crasher', 1, { command: 'exit 3' }));
    const seen = new Set<string>();
    const row = await waitFor('2 restarts', () => {
      const r = d.listPodStatuses()[0];
      if (r) seen.add(r.status);
      return r && r.restarts >= 2 ? r : undefined;
    }, 20_000, 20);
    expect(row.lastExit).toBe('Error (exit 3)');
    expect(seen.has('CrashLoopBackOff')).toBe(true);
    expect(d.pods()[0]).toMatchObject({ restartCount: row.restarts, lastTerminationReason: 'Error (exit 3)' });
    expect(env.events.some((e) => e.fields.change === 'container-exited' && e.fields.exit === 'Error (exit 3)')).toBe(true);
  });

  it('after a crash of the driver, a new instance on the same data dir cleans up and recreates the pods', async () => {
    env = new RealEnv();
    const first = env.driver();
    await first.start();
    first.apply(busyDeployment('survivor', 2));
    const before = await waitFor('2 running pods', () => running(first, 2));
    await first.cordon(before[0]!.node).then(() => first.uncordon(before[0]!.node));
    await first.cordon(before[0]!.node);
    first.halt(); // kill -9: processes and cgroups stay
    for (const r of before) expect(alive(r.pids[0]!)).toBe(true);

    const second = env.driver();
    await second.start();
    for (const r of before) {
      expect(alive(r.pids[0]!)).toBe(false);
      for (const dir of second.containerCgroupDirs(r.node, r.uid, 'burn')) expect(existsSync(dir)).toBe(false);
    }
    // Deployments and cordons came back; the cordoned host node cannot take the new pods
    expect(second.deployments()).toMatchObject([{ name: 'survivor', replicas: 2 }]);
    expect(second.nodes()[0]?.unschedulable).toBe(true);
    await second.uncordon(before[0]!.node);
    const after = await waitFor('2 recreated pods', () => running(second, 2));
    expect(after.map((r) => r.uid).some((u) => before.some((b) => b.uid === u))).toBe(false);
    await second.stop();
    expect(env.parentDirs()).toEqual([]);
  });

  it('runs virtual nodes each with its own cgroup subtree, and simulates a reboot', async () => {
    env = new RealEnv();
    const starts: string[] = [];
    const d = env.driver({
      nodes: 2,
      rebootDelayMs: 100,
      agentLauncher: {
        start(spec) {
          starts.push(spec.node);
          let resolve!: (e: { code: number | null; signal: string | null }) => void;
          const exited = new Promise<{ code: number | null; signal: string | null }>((r) => (resolve = r));
          return { pid: undefined, exited, stop: async () => resolve({ code: 0, signal: null }), kill: () => resolve({ code: null, signal: 'SIGKILL' }) };
        },
      },
    });
    await d.start();
    expect(starts.sort()).toEqual(['node-1', 'node-2']);
    d.apply(busyDeployment('spread', 2));
    const rows = await waitFor('2 pods', () => running(d, 2));
    expect(rows.map((r) => r.node).sort()).toEqual(['node-1', 'node-2']);
    for (const r of rows) for (const dir of d.containerCgroupDirs(r.node, r.uid, 'burn')) expect(dir).toContain(`/${env.parent}/${r.node}/${r.uid}/burn`);
    const bootFile = join(d.nodeDir('node-1'), 'host/proc/sys/kernel/random/boot_id');
    const boot0 = readFileSync(bootFile, 'utf8').trim();
    expect(d.nodes().find((n) => n.name === 'node-1')?.bootId).toBe(boot0);
    d.applyKernelPatch('node-1');
    const res = await d.simulateReboot('node-1');
    expect(res.previousBootId).toBe(boot0);
    expect(readFileSync(bootFile, 'utf8').trim()).toBe(res.bootId);
    expect(readFileSync(join(d.nodeDir('node-1'), 'host/proc/sys/kernel/osrelease'), 'utf8').trim()).toMatch(/\+hms1$/);
    expect(res.podsStopped).toBe(1);
    expect(starts.filter((n) => n === 'node-1')).toHaveLength(2);
    const old = rows.find((r) => r.node === 'node-1')!;
    expect(alive(old.pids[0]!)).toBe(false);
    await waitFor('the pod replaced', () => running(d, 2)?.every((r) => r.uid !== old.uid));
    // a restart of `hms-sys up` is not a reboot of the virtual nodes: boot id and kernel persist
    await d.stop();
    const again = env.driver({ nodes: 2 });
    await again.start();
    expect(again.nodes().find((n) => n.name === 'node-1')).toMatchObject({ bootId: res.bootId, kernelVersion: res.kernelVersion });
    expect(readFileSync(bootFile, 'utf8').trim()).toBe(res.bootId);
    await waitFor('pods back', () => running(again, 2));
    await again.stop();
    expect(env.parentDirs()).toEqual([]);
  });
});
