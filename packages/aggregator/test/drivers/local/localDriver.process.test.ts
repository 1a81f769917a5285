import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, RealEnv, waitFor } from './realHelpers.js';
import { readProcessWorkloads } from '../../../src/drivers/local/processWorkloads.js';
import { readProcStat } from '../../../src/drivers/local/procStat.js';

const sleeper = `apiVersion: apps/v1
kind: Deployment
metadata: { name: sleeper, namespace: demo }
spec:
  replicas: 2
  selector: { matchLabels: { app: sleeper } }
  template:
    metadata: { labels: { app: sleeper } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: app
          command: ["/bin/sh", "-c"]
          args: ["echo hello from $(GREETING); exec sleep 60"]
          env: [ { name: GREETING, value: "$(HMS_SYS_POD_NAME)" } ]
          resources: { requests: { cpu: 50m } }
          readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 }
`;

describe('local driver in process mode (no cgroups: not root, or not writable)', () => {
  let env: RealEnv;
  afterEach(async () => {
    await env.cleanup();
  });

  it('runs plain processes, says so, and publishes their pids for the agent', async () => {
    env = new RealEnv();
    const d = env.driver({ nodes: 2, cgroupsWritable: () => ({ writable: false, reason: 'test: cgroups are not writable' }) });
    await d.start();
    expect(d.mode().mode).toBe('process');
    expect(d.mode().reason).toMatch(/^test: cgroups are not writable; pods run as plain processes/);
    d.apply(sleeper);
    const rows = await waitFor('2 ready pods', () => {
      const r = d.listPodStatuses().filter((x) => x.ready === '1/1' && x.pids.length === 1);
      return r.length === 2 ? r : undefined;
    });
    expect(d.deployments()).toMatchObject([{ namespace: 'demo', name: 'sleeper', replicas: 2, readyReplicas: 2 }]);
    for (const r of rows) {
      const file = join(env.dataDir, 'nodes', r.node, 'process-workloads.json');
      const entries = await waitFor('the process-workloads file', () => readProcessWorkloads(file).filter((p) => p.uid === r.uid && p.containers.length === 1));
      const c = entries[0]!.containers[0]!;
      expect(entries[0]).toMatchObject({ namespace: 'demo', name: r.name });
      expect(c).toMatchObject({ name: 'app', pid: r.pids[0] });
      expect(c.startTicks).toBe(readProcStat(c.pid)?.startTicks);
      // virtual nodes: the pid is reachable through the node's host root
      expect(readlinkSync(join(env.dataDir, 'nodes', r.node, 'host/proc', String(c.pid)))).toBe(`/proc/${c.pid}`);
      // own process group; output in the container log, with $(VAR) expanded
      expect(readProcStat(c.pid)?.pgrp).toBe(c.pid);
      const log = join(env.dataDir, 'logs', `demo_${r.name}_${r.uid}`, 'app.log');
      await waitFor('the log line', () => existsSync(log) && readFileSync(log, 'utf8').includes(`hello from ${r.name}`));
    }
    expect(env.parentDirs()).toEqual([]);
    await d.stop();
    for (const r of rows) expect(alive(r.pids[0]!)).toBe(false);
    expect(existsSync(join(env.dataDir, 'nodes', rows[0]!.node, 'process-workloads.json'))).toBe(false);
  });

  it('after a crash, a new instance kills the stored pids and starts fresh pods', async () => {
    env = new RealEnv();
    const probe = () => ({ writable: false as const, reason: 'test' });
    const first = env.driver({ cgroupsWritable: probe });
    await first.start();
    first.apply(sleeper);
    const before = await waitFor('2 running', () => {
      const r = first.listPodStatuses().filter((x) => x.pids.length === 1);
      return r.length === 2 ? r : undefined;
    });
    await new Promise((r) => setTimeout(r, 100)); // let the pids be persisted
    first.halt();
    for (const r of before) expect(alive(r.pids[0]!)).toBe(true);
    const second = env.driver({ cgroupsWritable: probe });
    await second.start();
    for (const r of before) await waitFor(`old pid ${r.pids[0]} gone`, () => !alive(r.pids[0]!), 5000);
    await waitFor('2 new pods', () => second.listPodStatuses().filter((x) => x.pids.length === 1 && !before.some((b) => b.uid === x.uid)).length === 2);
    await second.stop();
  });
});
