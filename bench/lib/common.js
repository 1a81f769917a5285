// Shared helpers of the benchmarks (plain ESM JavaScript over the built packages in packages/*/dist).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Root of the build under test: this repository, or another checkout's build given by
 * HMS_BENCH_ROOT (used to measure a change against the code before it, in the same run).
 */
export const BUILD_ROOT = process.env.HMS_BENCH_ROOT ? resolve(process.env.HMS_BENCH_ROOT) : REPO;

/** Absolute path of a built module of a workspace package, e.g. dist('aggregator', 'ingest/fleetState.js'). */
export function dist(pkg, file = 'index.js') {
  return join(BUILD_ROOT, 'packages', pkg, 'dist', file);
}

/** A built module of this repository, whatever HMS_BENCH_ROOT says (tools of the benchmark, not code under test). */
export function repoDist(pkg, file = 'index.js') {
  return join(REPO, 'packages', pkg, 'dist', file);
}

/** The hms-sys executable of the build under test. */
export const HMS_SYS = () => join(BUILD_ROOT, 'packages', 'cli', 'bin', 'hms-sys.js');

/** `--key value` / `--flag` arguments into an object (numbers stay strings). */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return out;
}

let clkTck;
/** Kernel clock ticks per second (for /proc/<pid>/stat). */
export function clockTicks() {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function procCpuSeconds(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ... utime(11) stime(12).
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** CPU seconds per thread of a process, user and system apart: { "<comm>": { user, system } } (threads of one name summed). */
export function procThreadCpu(pid) {
  const out = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const t = (out[comm] ??= { user: 0, system: 0 });
    t.user += Number(fields[11]) / clockTicks();
    t.system += Number(fields[12]) / clockTicks();
  }
  return out;
}

/** VmRSS, VmHWM, RssAnon (private) and RssFile (file-backed) of a process, bytes. */
export function procMemory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** The machine, as every result records it. */
export function machineInfo() {
  const c = cpus();
  let cgroup = 'none';
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8');
    const v1 = /\scgroup\s/.test(mounts);
    const v2 = /\scgroup2\s/.test(mounts);
    cgroup = v1 && v2 ? 'hybrid (v1 controllers + v2 unified)' : v2 ? 'v2' : v1 ? 'v1' : 'none';
  } catch {
    /* not Linux */
  }
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    cgroup,
    root: process.getuid?.() === 0,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Percentile (0..100) of a numeric array (nearest rank). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** min / p50 / p90 / max / mean of an array. */
export function summarize(values) {
  const n = values.length;
  return {
    n,
    min: n ? Math.min(...values) : NaN,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    max: n ? Math.max(...values) : NaN,
    mean: n ? values.reduce((a, b) => a + b, 0) / n : NaN,
  };
}

export function round(v, digits = 3) {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with a message naming what took too long. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

let tasksetOk;
/** Whether `taskset` can pin processes here. */
export function canPin() {
  if (tasksetOk === undefined) {
    try {
      execFileSync('taskset', ['-c', '0', 'true']);
      tasksetOk = cpus().length >= 2;
    } catch {
      tasksetOk = false;
    }
  }
  return tasksetOk;
}

/**
 * Starts `node <args>`, pinned to `cpu` (a taskset list like "0") when given and possible.
 * `ipc`: a Node IPC channel on fd 3. Output is collected (bounded) unless `inherit`.
 */
export function spawnNode(args, { cpu, ipc = false, env = {}, cwd = REPO, inherit = false, nodeFlags = [] } = {}) {
  const cmd = cpu !== undefined && canPin() ? 'taskset' : process.execPath;
  const argv = cmd === 'taskset' ? ['-c', String(cpu), process.execPath, ...nodeFlags, ...args] : [...nodeFlags, ...args];
  const stdio = inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'];
  if (ipc) stdio.push('ipc');
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio });
  child.out = '';
  child.err = '';
  const cap = (key) => (d) => {
    if (child[key].length < 4 * 2 ** 20) child[key] += d.toString();
  };
  child.stdout?.on('data', cap('out'));
  child.stderr?.on('data', cap('err'));
  child.exited = new Promise((r) => child.once('exit', (code, sig) => r({ code, signal: sig })));
  return child;
}

/** Sends `msg` over IPC and resolves with the reply of the same `id`. */
export function ipcRequest(child, msg, timeoutMs = 30_000) {
  const id = Math.random().toString(36).slice(2);
  return withTimeout(new Promise((resolve, reject) => {
    const onMsg = (m) => {
      if (m?.id !== id) return;
      child.off('message', onMsg);
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    };
    child.on('message', onMsg);
    child.send({ ...msg, id });
  }), timeoutMs, `IPC ${msg.type}`);
}

/** Kills a child (its pid only) and waits for it, bounded. */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const done = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    child.kill('SIGKILL');
    await Promise.race([child.exited, sleep(2000)]);
  }
}

/** Writes a benchmark's result where bench/run.js looks for it (or prints it). */
export function emitResult(result, outFile) {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (outFile) {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, text);
  } else {
    process.stdout.write(text);
  }
}

/**
 * One figure of a result. `goal`: { op: '<' | '<=' | '>' | '>=', value } in the figure's unit;
 * `baseline`: { name, value } measured in the same run; `ratio`: value / baseline.value unless given.
 */
export function figure(name, value, unit, { goal, baseline, ratio, note, spread } = {}) {
  const r = { name, value: round(value), unit };
  if (spread) r.spread = spread;
  if (baseline) {
    r.baseline = { ...baseline, value: round(baseline.value) };
    r.ratio = round(ratio ?? value / baseline.value, 2);
  } else if (ratio !== undefined) {
    r.ratio = round(ratio, 2);
  }
  if (goal) {
    r.goal = goal;
    const ok = { '<': value < goal.value, '<=': value <= goal.value, '>': value > goal.value, '>=': value >= goal.value }[goal.op];
    r.met = Boolean(ok);
    const against = goal.on === 'ratio' ? r.ratio : value;
    if (goal.on === 'ratio') r.met = { '<': against < goal.value, '<=': against <= goal.value, '>': against > goal.value, '>=': against >= goal.value }[goal.op];
  }
  if (note) r.note = note;
  return r;
}

/** Logs a progress line on stderr (the table goes to stdout). */
export function log(...parts) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${parts.join(' ')}\n`);
}
