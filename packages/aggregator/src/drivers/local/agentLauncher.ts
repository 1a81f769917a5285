import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '@hms-sys/common';
import { boundLogFile } from './logRotation.js';

/** Everything one node's agent is started with. Paths are absolute except `workloadParent`. */
export interface AgentLaunchSpec {
  readonly node: string;
  /** `--host-root`: `/` for the host node, `<dataDir>/nodes/<node>/host` for a virtual node. */
  readonly hostRoot: string;
  /** `--state-dir`: `<dataDir>/nodes/<node>/state`. */
  readonly stateDir: string;
  /** `--workload-parent`: `<cgroupParent>/<node>`, relative to each cgroup hierarchy root. */
  readonly workloadParent: string;
  /** `--cgroup-root`, e.g. `/sys/fs/cgroup`. */
  readonly cgroupRoot: string;
  /** Where the agent's stdout/stderr go: `<dataDir>/nodes/<node>/agent.log`. */
  readonly logFile: string;
  /** Writing this file asks the node supervisor for a simulated reboot (virtual nodes). */
  readonly rebootRequestFile: string;
  /** Writing this file asks for a simulated kernel patch (virtual nodes). */
  readonly kernelPatchRequestFile: string;
  /** Process mode only: the pods' pids (processWorkloads.ts). */
  readonly processWorkloadsFile: string;
}

export interface AgentExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A running agent. */
export interface AgentHandle {
  readonly pid: number | undefined;
  /** Resolves once, when the agent process has exited. */
  readonly exited: Promise<AgentExit>;
  /** SIGTERM, then SIGKILL after a few seconds; resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL now (a simulated power-off). */
  kill(): void;
}

/** Port: how a node's agent is started (tests inject fakes). */
export interface AgentLauncher {
  start(spec: AgentLaunchSpec): AgentHandle;
}

/** `packages/cli/bin/hms-sys.js`, found from this file (src/ and dist/ sit at the same depth), not the cwd. */
export function defaultCliBin(): string {
  return fileURLToPath(new URL('../../../../cli/bin/hms-sys.js', import.meta.url));
}

export interface SpawnAgentLauncherOptions {
  /** `ws://HOST:PORT/v1/agents/stream`, or a function giving it once the aggregator listens. */
  readonly aggregatorUrl: string | (() => string);
  /** File holding the agent bootstrap token. */
  readonly tokenFile: string;
  /** `--interval`, default `1s`. */
  readonly interval?: string;
  readonly cliBin?: string;
  /** Default: this Node (process.execPath). */
  readonly nodeExecutable?: string;
  readonly extraArgs?: readonly string[];
  /** Arguments that depend on the node (e.g. simulatedPatchArgs: its request files), after extraArgs. */
  readonly perNodeArgs?: (spec: AgentLaunchSpec) => readonly string[];
  /** Environment of the agent; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** SIGTERM -> SIGKILL wait on stop, ms (default 5000). */
  readonly stopTimeoutMs?: number;
  /** Bound of agent.log, bytes; checked at each start (default 4 MiB). */
  readonly logMaxBytes?: number;
}

/** argv after the Node executable. Pure. */
export function agentArgv(opts: SpawnAgentLauncherOptions, spec: AgentLaunchSpec): string[] {
  return [
    opts.cliBin ?? defaultCliBin(),
    'agent',
    '--node', spec.node,
    '--aggregator', typeof opts.aggregatorUrl === 'function' ? opts.aggregatorUrl() : opts.aggregatorUrl,
    '--host-root', spec.hostRoot,
    '--cgroup-root', spec.cgroupRoot,
    '--state-dir', spec.stateDir,
    '--workload-parent', spec.workloadParent,
    '--token-file', opts.tokenFile,
    '--interval', opts.interval ?? '1s',
    '--process-workloads', spec.processWorkloadsFile,
    ...(opts.extraArgs ?? []),
    ...(opts.perNodeArgs?.(spec) ?? []),
  ];
}

/** Starts `node <repo>/packages/cli/bin/hms-sys.js agent …` in its own process group. */
export class SpawnAgentLauncher implements AgentLauncher {
  constructor(private readonly opts: SpawnAgentLauncherOptions) {}

  start(spec: AgentLaunchSpec): AgentHandle {
    mkdirSync(dirname(spec.logFile), { recursive: true });
    mkdirSync(spec.stateDir, { recursive: true });
    boundLogFile(spec.logFile, this.opts.logMaxBytes);
    const fd = openSync(spec.logFile, 'a', 0o640);
    let child;
    try {
      child = spawn(this.opts.nodeExecutable ?? process.execPath, agentArgv(this.opts, spec), {
        stdio: ['ignore', fd, fd],
        detached: true,
        env: this.opts.env ?? process.env,
      });
    } catch (err) {
      closeSync(fd);
      return { pid: undefined, exited: Promise.resolve({ code: null, signal: `spawn failed: ${errorMessage(err)}` }), stop: async () => {}, kill() {} };
    }
    closeSync(fd);
    child.unref();
    const pid = child.pid;
    const exited = new Promise<AgentExit>((resolve) => {
      child.once('error', (err) => resolve({ code: null, signal: `spawn failed: ${errorMessage(err)}` }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const signal = (sig: NodeJS.Signals): void => {
      if (pid === undefined) return;
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    };
    const stopTimeoutMs = this.opts.stopTimeoutMs ?? 5000;
    return {
      pid,
      exited,
      kill: () => signal('SIGKILL'),
      stop: async () => {
        signal('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => { timer = setTimeout(() => r(true), stopTimeoutMs); })]);
        clearTimeout(timer);
        if (timedOut) {
          signal('SIGKILL');
          await exited;
        }
      },
    };
  }
}
