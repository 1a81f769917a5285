import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom, silentLogger } from '@hms-sys/common';
import type { AgentExit, AgentLauncher, AgentLaunchSpec } from '../../../src/drivers/local/agentLauncher.js';
import type { LocalNode } from '../../../src/drivers/local/deploymentController.js';
import { NodeSupervisor, requestSimulatedKernelPatch, requestSimulatedReboot, type NodeHost } from '../../../src/drivers/local/nodeSupervisor.js';
import { flush } from './fakes.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

class FakeAgents implements AgentLauncher {
  readonly specs: AgentLaunchSpec[] = [];
  readonly exits: ((e: AgentExit) => void)[] = [];
  killed = 0;
  start(spec: AgentLaunchSpec) {
    this.specs.push(spec);
    let resolve!: (e: AgentExit) => void;
    const exited = new Promise<AgentExit>((r) => (resolve = r));
    this.exits.push(resolve);
    return { pid: undefined, exited, stop: async () => resolve({ code: 0, signal: null }), kill: () => { this.killed++; resolve({ code: null, signal: 'SIGKILL' }); } };
  }
}

function setup(virtual = true) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hms-sys-nodes-'));
  dirs.push(dataDir);
  const clock = new ManualClock();
  const nodes = new Map<string, LocalNode>();
  const n: LocalNode = { name: virtual ? 'node-1' : 'vm', virtual, allocatableCpuMilli: 2000, unschedulable: false, ready: true, bootId: 'boot-0', kernelVersion: '6.1.0', labels: {} };
  nodes.set(n.name, n);
  const podStops: string[] = [];
  const readiness: boolean[] = [];
  const host: NodeHost = {
    node: (name) => nodes.get(name),
    updateNode: (name, patch) => {
      const next = { ...nodes.get(name)!, ...patch };
      nodes.set(name, next);
      if (patch.ready !== undefined) readiness.push(patch.ready);
      return next;
    },
    deleteNodePods: async (node) => {
      podStops.push(node);
      return 3;
    },
  };
  const agents = new FakeAgents();
  const sup = new NodeSupervisor({ clock, random: seededRandom(3), logger: silentLogger(), dataDir, cgroupParent: 'hms-sys', cgroupRoot: '/sys/fs/cgroup', host, launcher: agents, rebootDelayMs: 2000, requestPollMs: 500 });
  return { dataDir, clock, nodes, podStops, readiness, agents, sup, node: n };
}

describe('NodeSupervisor (virtual nodes)', () => {
  it('prepares the host root and starts the agent with the right paths', async () => {
    const { sup, agents, dataDir, node } = setup();
    await sup.start([node]);
    const host = join(dataDir, 'nodes/node-1/host');
    expect(readFileSync(join(host, 'proc/sys/kernel/random/boot_id'), 'utf8')).toBe('boot-0\n');
    expect(readFileSync(join(host, 'proc/sys/kernel/osrelease'), 'utf8')).toBe('6.1.0\n');
    expect(readlinkSync(join(host, 'proc/stat'))).toBe('/proc/stat');
    expect(readlinkSync(join(host, 'proc/meminfo'))).toBe('/proc/meminfo');
    expect(readlinkSync(join(host, 'sys/fs/cgroup'))).toBe('/sys/fs/cgroup');
    expect(existsSync(join(host, 'etc/os-release'))).toBe(true);
    expect(agents.specs[0]).toEqual({
      node: 'node-1',
      hostRoot: host,
      stateDir: join(dataDir, 'nodes/node-1/state'),
      workloadParent: 'hms-sys/node-1',
      cgroupRoot: '/sys/fs/cgroup',
      logFile: join(dataDir, 'nodes/node-1/agent.log'),
      rebootRequestFile: join(dataDir, 'nodes/node-1/reboot-requested'),
      kernelPatchRequestFile: join(dataDir, 'nodes/node-1/kernel-patch-requested'),
      processWorkloadsFile: join(dataDir, 'nodes/node-1/process-workloads.json'),
    });
    await sup.stop();
  });

  it('restarts an agent that dies unexpectedly, with back-off', async () => {
    const { sup, agents, clock, node } = setup();
    await sup.start([node]);
    agents.exits[0]!({ code: 1, signal: null });
    await flush();
    expect(agents.specs).toHaveLength(1);
    await clock.advanceAsync(1000, 100);
    expect(agents.specs).toHaveLength(2);
    await sup.stop();
    await clock.advanceAsync(60_000, 1000);
    expect(agents.specs).toHaveLength(2);
  });

  it('reboots on a request file: pods stopped, agent killed, down for the delay, then a new boot id, staged kernel, agent back', async () => {
    const { sup, agents, clock, dataDir, podStops, readiness, nodes, node } = setup();
    await sup.start([node]);
    const host = join(dataDir, 'nodes/node-1/host');
    mkdirSync(join(host, 'var/run'), { recursive: true });
    writeFileSync(join(host, 'var/run/reboot-required'), '*** System restart required ***\n');
    requestSimulatedKernelPatch(dataDir, 'node-1');
    requestSimulatedReboot(dataDir, 'node-1');
    await clock.advanceAsync(500);
    await flush();
    expect(podStops).toEqual(['node-1']);
    expect(agents.killed).toBe(1);
    expect(readiness).toEqual([false]);
    const bootFile = join(host, 'proc/sys/kernel/random/boot_id');
    // Powered off: no new boot yet.
    expect(readFileSync(bootFile, 'utf8').trim()).toBe('boot-0');
    expect(nodes.get('node-1')).toMatchObject({ bootId: 'boot-0', ready: false });
    expect(agents.specs).toHaveLength(1);
    await clock.advanceAsync(2000, 500);
    const boot = readFileSync(bootFile, 'utf8').trim();
    expect(boot).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(readFileSync(join(host, 'proc/sys/kernel/osrelease'), 'utf8')).toBe('6.1.0+hms1\n');
    expect(existsSync(join(host, 'var/run/reboot-required'))).toBe(false); // /var/run is a tmpfs
    expect(nodes.get('node-1')).toMatchObject({ bootId: boot, kernelVersion: '6.1.0+hms1', ready: true });
    expect(agents.specs).toHaveLength(2);
    expect(existsSync(join(dataDir, 'nodes/node-1/reboot-requested'))).toBe(false);
    await sup.stop();
  });

  it('hold-reboot keeps a request waiting; stay-down keeps a rebooted node off; a stale request is dropped at start', async () => {
    const { sup, agents, clock, dataDir, nodes, node } = setup();
    const dir = join(dataDir, 'nodes/node-1');
    requestSimulatedReboot(dataDir, 'node-1'); // left by a previous run
    await sup.start([node]);
    expect(existsSync(join(dir, 'reboot-requested'))).toBe(false);
    await clock.advanceAsync(3000, 500);
    expect(agents.killed).toBe(0);

    writeFileSync(join(dir, 'hold-reboot'), '');
    requestSimulatedReboot(dataDir, 'node-1');
    await clock.advanceAsync(3000, 500);
    expect(agents.killed).toBe(0);
    expect(existsSync(join(dir, 'reboot-requested'))).toBe(true);

    writeFileSync(join(dir, 'stay-down'), '');
    rmSync(join(dir, 'hold-reboot'));
    await clock.advanceAsync(10_000, 500);
    expect(agents.killed).toBe(1);
    expect(nodes.get('node-1')).toMatchObject({ bootId: 'boot-0', ready: false });
    expect(agents.specs).toHaveLength(1);
    rmSync(join(dir, 'stay-down'));
    await clock.advanceAsync(1000, 500);
    expect(nodes.get('node-1')?.ready).toBe(true);
    expect(nodes.get('node-1')?.bootId).not.toBe('boot-0');
    expect(agents.specs).toHaveLength(2);
    await sup.stop();
  });

  it('refuses to reboot or patch the real machine', async () => {
    const { sup, node } = setup(false);
    await sup.start([node]);
    expect(() => sup.simulateReboot('vm')).toThrow(/refusing to reboot vm: it is the real machine/);
    expect(() => sup.applyKernelPatch('vm')).toThrow(/refusing to patch vm/);
    await sup.stop();
  });
});
