import { describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '@hms-sys/common';
import { DEFAULT_CRASH_LOOP_POLICY } from '../../../src/drivers/local/crashLoopBackoff.js';
import { ContainerSupervisor, type ContainerHooks } from '../../../src/drivers/local/processSupervisor.js';
import type { ProbeRunner } from '../../../src/drivers/local/readinessProbe.js';
import { FakeLauncher, flush } from './fakes.js';

function setup(opts: { probe?: boolean; probeOk?: () => boolean } = {}) {
  const clock = new ManualClock();
  const launcher = new FakeLauncher();
  const kills: (number | undefined)[] = [];
  const hooks: ContainerHooks = { prepare: async () => ['/cg/cpu/procs'], killAll: (pid) => kills.push(pid), anyAlive: () => false };
  const probes: ProbeRunner = { run: async () => ({ ok: opts.probeOk ? opts.probeOk() : true, message: 'nope' }) };
  let changes = 0;
  const sup = new ContainerSupervisor(
    { clock, launcher, probes, policy: DEFAULT_CRASH_LOOP_POLICY, logger: silentLogger() },
    {
      name: 'app',
      argv: ['sh', '-c', 'exit 3'],
      env: { A: 'b' },
      cwd: '/',
      logFile: '/tmp/x.log',
      ...(opts.probe ? { readinessProbe: { action: { kind: 'tcpSocket' as const, port: 1 }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 } } : {}),
    },
    hooks,
    () => changes++,
  );
  return { clock, launcher, sup, kills, changes: () => changes };
}

describe('ContainerSupervisor (ManualClock, fake processes)', () => {
  it('launches through the cgroup wrapper files and reports running', async () => {
    const { launcher, sup } = setup();
    sup.start();
    await flush();
    expect(launcher.launched).toHaveLength(1);
    expect(launcher.last().spec).toMatchObject({ command: 'sh', args: ['-c', 'exit 3'], cgroupProcsFiles: ['/cg/cpu/procs'] });
    expect(sup.status()).toMatchObject({ state: 'running', ready: true, pid: 1000, restartCount: 0 });
  });

  it('restarts crashing containers with CrashLoopBackOff delays (0, 10s, 20s, 40s)', async () => {
    const { clock, launcher, sup, kills } = setup();
    sup.start();
    await flush();
    // exit 1: restart at once
    launcher.last().exit({ code: 3, signal: null });
    await flush();
    expect(launcher.launched).toHaveLength(2);
    expect(sup.status()).toMatchObject({ state: 'running', restartCount: 1, lastExitReason: 'Error (exit 3)' });
    expect(kills).toContain(1000); // leftovers of the dead container are swept
    // exit 2: wait 10 s
    launcher.last().exit({ code: 3, signal: null });
    await flush();
    expect(sup.status()).toMatchObject({ state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 1 });
    expect(sup.status().message).toMatch(/back-off 10s/);
    await clock.advanceAsync(9_999);
    expect(launcher.launched).toHaveLength(2);
    await clock.advanceAsync(1);
    expect(launcher.launched).toHaveLength(3);
    expect(sup.status()).toMatchObject({ state: 'running', restartCount: 2 });
    // exit 3: wait 20 s
    launcher.last().exit({ code: null, signal: 'SIGKILL' });
    await flush();
    expect(sup.status().lastExitReason).toBe('Signal SIGKILL');
    await clock.advanceAsync(19_000, 1000);
    expect(launcher.launched).toHaveLength(3);
    await clock.advanceAsync(1_000);
    expect(launcher.launched).toHaveLength(4);
    // exit 4: wait 40 s
    launcher.last().exit({ code: 0, signal: null });
    await flush();
    expect(sup.status()).toMatchObject({ reason: 'CrashLoopBackOff', lastExitReason: 'Completed (exit 0)' });
    await clock.advanceAsync(39_000, 1000);
    expect(launcher.launched).toHaveLength(4);
    await clock.advanceAsync(1_000);
    expect(launcher.launched).toHaveLength(5);
  });

  it('resets the back-off after 10 minutes of running', async () => {
    const { clock, launcher, sup } = setup();
    sup.start();
    await flush();
    for (let i = 0; i < 3; i++) {
      launcher.last().exit({ code: 1, signal: null });
      await flush();
      await clock.advanceAsync(60_000, 10_000);
    }
    const before = launcher.launched.length;
    await clock.advanceAsync(11 * 60_000, 60_000); // runs > 10 min
    launcher.last().exit({ code: 1, signal: null });
    await flush();
    expect(launcher.launched.length).toBe(before + 1); // immediate restart
  });

  it('is ready only once the readiness probe passes, and not ready after failureThreshold failures', async () => {
    let ok = false;
    const { clock, sup } = setup({ probe: true, probeOk: () => ok });
    sup.start();
    await flush();
    expect(sup.status()).toMatchObject({ state: 'running', ready: false });
    ok = true;
    await clock.advanceAsync(5_000); // initialDelaySeconds
    await flush();
    expect(sup.status().ready).toBe(true);
    ok = false;
    await clock.advanceAsync(10_000);
    await clock.advanceAsync(10_000);
    expect(sup.status().ready).toBe(true); // 2 failures < 3
    await clock.advanceAsync(10_000);
    await flush();
    expect(sup.status().ready).toBe(false);
  });

  it('stops with SIGTERM, then SIGKILL after the grace period, and never restarts', async () => {
    const { clock, launcher, sup } = setup();
    launcher.exitOnTerm = false; // ignores SIGTERM
    sup.start();
    await flush();
    const p = launcher.last();
    let stopped = false;
    void sup.stop(30_000).then(() => (stopped = true));
    await flush();
    expect(p.signals).toEqual(['SIGTERM']);
    await clock.advanceAsync(29_000, 1000);
    expect(stopped).toBe(false);
    await clock.advanceAsync(1_000);
    await flush();
    expect(p.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(stopped).toBe(true);
    expect(sup.status()).toMatchObject({ state: 'terminated', lastExitReason: 'Signal SIGKILL' });
    await clock.advanceAsync(600_000, 60_000);
    expect(launcher.launched).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});
