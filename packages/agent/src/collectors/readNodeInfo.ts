import { errnoCode, hmsError } from '@hms-sys/common';
import type { HostPaths } from '../host/hostPaths.js';
import type { HostReader } from '../host/hostReader.js';
import { parseMeminfo } from './parseMeminfo.js';
import { osImageOf, parseOsRelease } from './parseOsRelease.js';
import { parseProcStat } from './parseProcStat.js';

/** What the agent tells the aggregator about its node in Hello; maps 1:1 onto protobuf `NodeInfo`. */
export interface NodeInfo {
  /** Changes on every real boot: how the executor tells "rebooted" from "agent restarted". */
  readonly bootId: string;
  /** `uname -r` of the host kernel. */
  readonly kernelVersion: string;
  /** PRETTY_NAME of the host's os-release ('' when the host has none). */
  readonly osImage: string;
  /** Logical CPUs online. */
  readonly cpuCores: number;
  /** MemTotal, bytes. */
  readonly memoryBytes: number;
  /** Node.js naming (x64, arm64, ...). */
  readonly architecture: string;
  readonly cgroupVersion: 'v1' | 'v2';
  /** Always false here; the local driver's simulated reboots set it. */
  readonly simulatedBoot: boolean;
  /** '' when unknown. */
  readonly hostname: string;
  /** Wall-clock boot time, ms since the epoch (from /proc/stat btime, 1 s resolution). */
  readonly bootTimeMs: number;
}

/** Facts with no file under a host root. Every field optional: missing ones fall back. */
export interface SystemFacts {
  readonly architecture?: string;
}

/** Supplies SystemFacts; injected so tests never reach the real machine. */
export type SystemFactsProvider = () => Promise<SystemFacts>;

export interface ReadNodeInfoOptions {
  readonly paths: HostPaths;
  readonly reader: HostReader;
  readonly cgroupVersion: 'v1' | 'v2';
  /**
   * Consulted only when the host root is `/` (systeminformation reads hard-coded /proc, /sys,
   * /etc and cannot be pointed at a host root: stack-notes §5) and only for facts the host-root
   * files lack. Default: `systeminformationFacts`.
   */
  readonly systemFacts?: SystemFactsProvider;
}

/** `uname -m` -> Node's `process.arch` names, so the value reads the same wherever it came from. */
const UNAME_TO_NODE_ARCH: Readonly<Record<string, string>> = {
  x86_64: 'x64',
  amd64: 'x64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i386: 'ia32',
  i686: 'ia32',
  armv7l: 'arm',
  armv6l: 'arm',
  ppc64le: 'ppc64',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loongarch64: 'loong64',
};

/**
 * Reads node facts once at start-up, every one from a file under the host root so that a
 * DaemonSet pod (host mounted at e.g. /host) describes the node, not its own container:
 * boot id, kernel, os-release (`etc/os-release`, else `usr/lib/os-release`), /proc/stat (cores,
 * btime), /proc/meminfo, hostname (`proc/sys/kernel/hostname`, else `etc/hostname`) and
 * architecture (`proc/sys/kernel/arch`, kernels >= 6.1).
 *
 * systeminformation is used only for the architecture on older kernels, and only when the host
 * root is `/`; else `process.arch` (the agent runs on the host's kernel, hence its CPU).
 *
 * Throws HMS_HOST_READ naming every missing required file (boot id, kernel version,
 * /proc/stat, /proc/meminfo) at once: without them the node cannot be described.
 */
export async function readNodeInfo(opts: ReadNodeInfoOptions): Promise<NodeInfo> {
  const { paths, reader } = opts;
  const missing: string[] = [];
  let firstCause: unknown;
  let lastError: unknown;
  const read = (rel: string): string | undefined => {
    try {
      return reader.readFile(paths.host(rel));
    } catch (err) {
      lastError = err;
      return undefined;
    }
  };
  const required = <T>(rel: string, parse: (text: string) => T | undefined): T | undefined => {
    const text = read(rel);
    const value = text === undefined ? undefined : parse(text);
    if (value === undefined) {
      missing.push(text === undefined ? `${rel} (${errnoCode(lastError) ?? 'unreadable'})` : `${rel} (malformed)`);
      firstCause ??= text === undefined ? lastError : undefined;
    }
    return value;
  };
  const nonEmpty = (text: string): string | undefined => text.trim() || undefined;

  const bootId = required('proc/sys/kernel/random/boot_id', nonEmpty);
  const kernelVersion = required('proc/sys/kernel/osrelease', nonEmpty);
  const stat = required('proc/stat', parseProcStat);
  const mem = required('proc/meminfo', parseMeminfo);
  if (missing.length > 0 || bootId === undefined || kernelVersion === undefined || stat === undefined || mem === undefined) {
    throw hmsError('HMS_HOST_READ', `cannot describe the node: ${missing.join(', ')} under host root ${paths.hostRoot}`, {
      cause: firstCause,
      details: { hostRoot: paths.hostRoot, missing },
      hint: 'check --host-root and that the host /proc is mounted there',
    });
  }

  const osRelease = read('etc/os-release') ?? read('usr/lib/os-release');
  const hostname = (read('proc/sys/kernel/hostname') ?? read('etc/hostname'))?.trim() ?? '';
  return {
    bootId,
    kernelVersion,
    osImage: osRelease === undefined ? '' : osImageOf(parseOsRelease(osRelease)),
    cpuCores: stat.cores,
    memoryBytes: mem.memTotalBytes,
    architecture: await architectureOf(read('proc/sys/kernel/arch'), opts),
    cgroupVersion: opts.cgroupVersion,
    simulatedBoot: false,
    hostname,
    bootTimeMs: stat.bootTimeSec * 1000,
  };
}

async function architectureOf(unameM: string | undefined, opts: ReadNodeInfoOptions): Promise<string> {
  const m = unameM?.trim();
  if (m) return UNAME_TO_NODE_ARCH[m] ?? m;
  if (opts.paths.hostRoot === '/') {
    try {
      const facts = await (opts.systemFacts ?? systeminformationFacts)();
      if (facts.architecture) return facts.architecture;
    } catch {
      // A start-up nicety, not a reason to fail: fall through to the agent's own view.
    }
  }
  return process.arch;
}

/**
 * The default SystemFactsProvider: systeminformation's `osInfo()` (one-shot, ~20-40 ms, spawns
 * `hostname`; never call it per cycle). Imported lazily so nothing loads it unless needed.
 */
export const systeminformationFacts: SystemFactsProvider = async () => {
  const si = await import('systeminformation');
  const os = await si.osInfo();
  return { architecture: os.arch };
};
