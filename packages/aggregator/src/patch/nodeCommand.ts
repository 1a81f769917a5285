import { emit, failCommanded, goto, issue, release, workloadsOf, type Ctx } from './nodeContext.js';

/**
 * Internals of the node machine: sending the command, the reboot fence, verification and the
 * health gate.
 */

/** Persists the command (and the boot id fence) in the state, then sends it: the only first send. */
export function sendCommand(c: Ctx, reason: string): void {
  const { s, cfg, now } = c;
  const bootId = s.lastSeen?.bootId ?? s.nodeInfo?.bootId ?? null;
  if (!bootId && !cfg.dryRun) {
    release(c, 'failed', 'the node\'s boot id is unknown', {
      code: 'no-boot-id',
      message: `boot id of ${s.node} is unknown (no agent hello, no node info): a reboot could not be told from an agent restart`,
    });
    return;
  }
  s.bootIdBefore = bootId;
  s.kernelBefore = s.lastSeen?.kernelVersion ?? s.nodeInfo?.kernelVersion ?? null;
  s.command = {
    id: `${s.run}:${s.node}`,
    runId: s.run,
    nodeName: s.node,
    issuedAtMs: now,
    expiresAtMs: now + cfg.commandTtlMs,
    patchKind: cfg.patchKind,
    allowReboot: cfg.allowReboot,
    forceReboot: cfg.forceReboot,
    dryRun: cfg.dryRun,
  };
  s.evicted = (s.drain?.pods ?? [])
    .filter((p) => p.status === 'evicted' || p.status === 'gone')
    .map((p) => ({ uid: p.uid, namespace: p.namespace, name: p.name, owner: p.owner }));
  goto(c, 'patching', reason, cfg.dryRun ? { dryRun: true } : {});
  s.deadlineMs = now + cfg.commandTimeoutMs;
  emit(c, { type: 'command.sent', run: s.run, node: s.node, commandId: s.command.id, reattach: false, dryRun: cfg.dryRun, bootIdBefore: bootId });
  c.out.push({ kind: 'sendCommand', run: s.run, node: s.node, command: s.command });
}

/** Records the reboot once (emits node.rebooted); only for a boot id that isNewBoot() accepted. */
export function confirmReboot(c: Ctx, bootId: string, kernelVersion: string | null, simulated: boolean): void {
  const { s } = c;
  if (s.reboot || s.bootIdBefore === null) return;
  s.reboot = { bootIdBefore: s.bootIdBefore, bootId, kernelVersion, atMs: c.now, simulated };
  emit(c, { type: 'node.rebooted', run: s.run, node: s.node, bootIdBefore: s.bootIdBefore, bootId, kernelVersion, simulated });
  if (s.step === 'patching' || s.step === 'rebooting') {
    const unplanned = s.rebootExpected ? '' : ' (no reboot was announced by the agent)';
    goto(c, 'verifying', `rebooted: boot id ${bootId} (was ${s.bootIdBefore})${unplanned}`);
    s.deadlineMs = c.now + c.cfg.verifyTimeoutMs;
  }
}

/** The agent announced or claimed a reboot: wait for the new boot id (rebootTimeoutMs). */
export function awaitReboot(c: Ctx, reason: string): void {
  if (c.s.step === 'patching') {
    goto(c, 'rebooting', reason);
    c.s.deadlineMs = c.now + c.cfg.rebootTimeoutMs;
  }
}

/** Passes verification when the agent is done, the fence holds, the node is back and Ready, and the kernel checks out. */
export function tryVerify(c: Ctx): void {
  const { s, cfg } = c;
  if (s.step !== 'verifying') return;
  const a = s.agent;
  if (!a || a.state !== 'done') return;
  if ((s.rebootExpected || a.rebooted) && !s.reboot) return;
  const seen = s.lastSeen;
  if (!seen || !seen.connected || seen.ready === false) return;
  if (s.reboot && seen.bootId !== s.reboot.bootId) return;
  const kernel = a.kernelVersion ?? s.reboot?.kernelVersion ?? seen.kernelVersion;
  if (cfg.expectedKernelVersion !== undefined && kernel !== cfg.expectedKernelVersion) {
    failCommanded(c, 'kernel-mismatch', `kernel after the patch is ${kernel ?? 'unknown'}, expected ${cfg.expectedKernelVersion}`);
    return;
  }
  if (s.reboot && a.rebootRequired) {
    failCommanded(c, 'reboot-still-required', 'the node still reports a reboot is required after rebooting (reboot-loop risk: check the sentinel)');
    return;
  }
  if (s.reboot && cfg.patchKind === 'kernel' && kernel !== null && kernel === s.kernelBefore) {
    s.notes.push(`kernel unchanged after the reboot (${kernel})`);
  }
  const what = s.reboot ? `rebooted into kernel ${kernel ?? 'unknown'}` : `patched without reboot (kernel ${kernel ?? 'unknown'})`;
  if (s.cordon.ours) {
    goto(c, 'uncordoning', `verified: ${what}`);
    issue(c, 'uncordon');
  } else {
    goto(c, 'health-gate', `verified: ${what}${s.cordon.preexisting ? '; the pre-existing cordon is kept' : ''}`, s.cordon.preexisting ? { cordon: 'kept' } : {});
    startHealth(c);
  }
}

/** Health gate: the evicted pods' controllers must be ready again (none evicted: done at once). */
export function startHealth(c: Ctx): void {
  const { s } = c;
  if (workloadsOf(s).length === 0) {
    goto(c, 'done', 'no evicted workload to wait for');
    return;
  }
  s.deadlineMs = c.now + c.cfg.healthGateTimeoutMs;
  issue(c, 'checkWorkloads');
}

