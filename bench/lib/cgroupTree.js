// Synthetic Kubernetes node cgroup trees for the agent benchmarks: N pods x C containers in the
// kubelet's layouts — as real cgroups when root (cgroup v2 unified, systemd driver names; cgroup
// v1 cpuacct + cpu hierarchies, cgroupfs driver names) or as plain files otherwise. Every tree is
// removed by remove(), and by removeAll() on exit (bench scripts call it on signals too).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BENCH_PREFIX = 'hms-bench-';
const V2_ROOT = '/sys/fs/cgroup/unified';
const V2_PURE = '/sys/fs/cgroup';

const live = new Set();

function hex(seed, len) {
  return createHash('sha256').update(seed).digest('hex').slice(0, len);
}

/** Pod uid i (dashed UUID) and its containers' 64-hex ids. */
function identity(i, containers) {
  const h = hex(`pod-${i}`, 32);
  const uid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { uid, containers: Array.from({ length: containers }, (_, c) => hex(`${i}/${c}`, 64)) };
}

/** Relative directories of a node's pods: [qos dir, pod dir, container dirs] per pod. */
function layout(pods, containers, driver) {
  const dirs = [];
  for (let i = 0; i < pods; i++) {
    const { uid, containers: ids } = identity(i, containers);
    const qos = ['burstable', 'besteffort', 'guaranteed'][i % 3];
    if (driver === 'systemd') {
      const root = 'kubepods.slice';
      const parent = qos === 'guaranteed' ? root : `${root}/kubepods-${qos}.slice`;
      const pod = `${parent}/kubepods${qos === 'guaranteed' ? '' : `-${qos}`}-pod${uid.replaceAll('-', '_')}.slice`;
      dirs.push({ pod, containers: ids.map((id) => `${pod}/cri-containerd-${id}.scope`) });
    } else {
      const parent = qos === 'guaranteed' ? 'kubepods' : `kubepods/${qos}`;
      const pod = `${parent}/pod${uid}`;
      dirs.push({ pod, containers: ids.map((id) => `${pod}/${id}`) });
    }
  }
  return dirs;
}

function mkdirs(base, rels) {
  for (const r of rels) mkdirSync(join(base, r), { recursive: true });
}

/** Removes a real cgroup subtree bottom-up (rmdir only: cgroup files cannot be unlinked). */
function rmdirTree(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmdirTree(join(dir, e.name));
  try {
    rmdirSync(dir);
  } catch {
    /* busy or gone: best effort */
  }
}

export function canUseRealCgroups() {
  return process.getuid?.() === 0 && (existsSync(join(V2_ROOT, 'cgroup.controllers')) || existsSync(join(V2_PURE, 'cgroup.controllers')) || existsSync('/sys/fs/cgroup/cpuacct/cpuacct.usage'));
}

/**
 * Builds a tree. kind: 'v2' (real, unified), 'v1' (real, cpuacct + cpu), 'files' (plain files,
 * v2 layout, on tmpfs when /dev/shm exists). Returns { kind, cgroupRoot, description, remove() }:
 * cgroupRoot is what `hms-sys agent --cgroup-root` takes.
 */
export function buildTree(kind, pods, containers) {
  const tag = `${BENCH_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let tree;
  if (kind === 'v2') {
    const mount = existsSync(join(V2_ROOT, 'cgroup.controllers')) ? V2_ROOT : V2_PURE;
    const base = join(mount, tag);
    const dirs = layout(pods, containers, 'systemd');
    mkdirs(base, dirs.flatMap((d) => [d.pod, ...d.containers]));
    tree = { kind, cgroupRoot: base, description: `real cgroup v2 (${mount}), systemd names`, remove: () => rmdirTree(base) };
  } else if (kind === 'v1') {
    const cpuacct = join('/sys/fs/cgroup/cpuacct', tag);
    const cpu = existsSync('/sys/fs/cgroup/cpu/cpu.stat') ? join('/sys/fs/cgroup/cpu', tag) : undefined;
    const dirs = layout(pods, containers, 'cgroupfs').flatMap((d) => [d.pod, ...d.containers]);
    mkdirs(cpuacct, dirs);
    if (cpu) mkdirs(cpu, dirs);
    // The agent's --cgroup-root: a directory holding the two hierarchies, as /sys/fs/cgroup does.
    const root = mkdtempSync(join(tmpdir(), tag));
    symlinkSync(cpuacct, join(root, 'cpuacct'));
    if (cpu) symlinkSync(cpu, join(root, 'cpu'));
    tree = {
      kind, cgroupRoot: root, description: `real cgroup v1 (cpuacct${cpu ? ' + cpu' : ''}), cgroupfs names`,
      remove: () => {
        rmdirTree(cpuacct);
        if (cpu) rmdirTree(cpu);
        rmSync(root, { recursive: true, force: true });
      },
    };
  } else {
    const parent = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const base = mkdtempSync(join(parent, tag));
    writeFileSync(join(base, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    const dirs = layout(pods, containers, 'systemd');
    const stat = (u) => `usage_usec ${u}\nuser_usec ${Math.floor(u * 0.7)}\nsystem_usec ${u - Math.floor(u * 0.7)}\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n`;
    let k = 0;
    for (const parentDir of ['kubepods.slice', 'kubepods.slice/kubepods-burstable.slice', 'kubepods.slice/kubepods-besteffort.slice']) {
      mkdirSync(join(base, parentDir), { recursive: true });
      writeFileSync(join(base, parentDir, 'cpu.stat'), stat(1e9));
    }
    for (const d of dirs) {
      for (const dir of [d.pod, ...d.containers]) {
        mkdirSync(join(base, dir), { recursive: true });
        writeFileSync(join(base, dir, 'cpu.stat'), stat(1_000_000 + 7919 * k++));
      }
    }
    tree = { kind, cgroupRoot: base, description: `plain files (v2 layout) on ${parent === '/dev/shm' ? 'tmpfs' : parent}`, remove: () => rmSync(base, { recursive: true, force: true }) };
  }
  live.add(tree);
  const remove = tree.remove;
  tree.remove = () => {
    if (!live.delete(tree)) return;
    remove();
  };
  return tree;
}

/** Removes every tree this process built. */
export function removeAll() {
  for (const t of [...live]) t.remove();
}

/** Removes bench cgroups left by runs that died (their pid is gone). */
export function removeStale() {
  for (const mount of [V2_ROOT, V2_PURE, '/sys/fs/cgroup/cpuacct', '/sys/fs/cgroup/cpu']) {
    let entries = [];
    try {
      entries = readdirSync(mount);
    } catch {
      continue;
    }
    for (const name of entries) {
      const m = new RegExp(`^${BENCH_PREFIX}(\\d+)-`).exec(name);
      if (m && !existsSync(`/proc/${m[1]}`)) rmdirTree(join(mount, name));
    }
  }
}

/** Cleans up on the usual ways out. */
export function cleanupOnExit() {
  process.once('exit', removeAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      removeAll();
      process.exit(130);
    });
  }
}
