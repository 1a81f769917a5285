import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { acquireDirLock, errnoCode, hmsError, monotonicUsec, type Clock, type DirLock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import type { ICommand, INodeInfo } from '@hms-sys/protocol';
import { CgroupCollector } from './collectors/cgroupCollector.js';
import { detectCgroupLayout, type CgroupLayout } from './collectors/cgroupLayout.js';
import { collectNodeUsage } from './collectors/collectNodeUsage.js';
import { readNodeInfo, type NodeInfo, type SystemFactsProvider } from './collectors/readNodeInfo.js';
import type { AgentConfig } from './config.js';
import { createFsHostReader } from './host/fsHostReader.js';
import { createHostPaths, type HostPaths } from './host/hostPaths.js';
import type { HostReader } from './host/hostReader.js';
import { startAgentServer } from './http/agentServer.js';
import { createAgentMetrics, type AgentMetrics } from './metrics/agentMetrics.js';
import { buildBatch, type Collection } from './stream/batchBuilder.js';
import { ReplayBuffer } from './stream/replayBuffer.js';
import { StreamClient, type StreamTls } from './stream/streamClient.js';
import { ProcessWorkloadCollector } from './collectors/processWorkloadCollector.js';
import { createExecutor, type Executor } from './executor/createExecutor.js';

export const AGENT_VERSION = '0.1.0';

export interface AgentDeps {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Default: the real filesystem. */
  readonly reader?: HostReader;
  readonly systemFacts?: SystemFactsProvider;
}

/** The pieces that read the node, shared by the daemon and `--once`. */
export interface NodeReaders {
  readonly paths: HostPaths;
  readonly reader: HostReader;
  readonly layout: CgroupLayout;
  readonly info: NodeInfo;
  collect(): Collection;
}

/** Builds the readers of one node and reads its identity (throws HMS_HOST_READ / HMS_CGROUP_UNAVAILABLE). */
export async function openNode(config: AgentConfig, deps: Pick<AgentDeps, 'reader' | 'systemFacts' | 'clock'>): Promise<NodeReaders> {
  const paths = createHostPaths({ hostRoot: config.hostRoot, ...(config.cgroupRoot ? { cgroupRoot: config.cgroupRoot } : {}) });
  const reader = deps.reader ?? createFsHostReader();
  const layout = detectCgroupLayout(paths, reader);
  const info = await readNodeInfo({ paths, reader, cgroupVersion: layout.version, ...(deps.systemFacts ? { systemFacts: deps.systemFacts } : {}) });
  const cgroups = new CgroupCollector({ paths, reader, layout, workloadParents: config.workloadParents });
  const processes = config.processWorkloadsFile ? new ProcessWorkloadCollector(config.processWorkloadsFile, paths, reader) : undefined;
  return {
    paths, reader, layout, info,
    collect(): Collection {
      const collectedAtMs = deps.clock.now();
      const mono = monotonicUsec();
      const t0 = process.hrtime.bigint();
      const c = cgroups.collect();
      const node = collectNodeUsage(paths, reader);
      const extra = processes?.collect();
      const durationUsec = Number((process.hrtime.bigint() - t0) / 1000n);
      return {
        pods: extra ? [...c.pods, ...extra.pods] : c.pods,
        nodeUsage: node.usage,
        cgroupsScanned: c.cgroupsScanned,
        readErrors: c.readErrors + node.readErrors + (extra?.readErrors ?? 0),
        durationUsec,
        collectedAtMs,
        monotonicUsec: mono,
      };
    },
  };
}

function toNodeInfo(info: NodeInfo, simulated: boolean): INodeInfo {
  return {
    bootId: info.bootId,
    kernelVersion: info.kernelVersion,
    osImage: info.osImage,
    cpuCores: info.cpuCores,
    memoryBytes: info.memoryBytes,
    architecture: info.architecture,
    cgroupVersion: info.cgroupVersion,
    simulatedBoot: simulated || info.simulatedBoot,
    hostname: info.hostname,
    bootTimeMs: info.bootTimeMs,
  };
}

/** A running agent. */
export interface Agent {
  readonly node: string;
  readonly metricsPort: number | undefined;
  readonly stream: StreamClient;
  readonly metrics: AgentMetrics;
  /** Hook for the patch executor: commands from the aggregator. */
  onCommand(handler: (cmd: ICommand) => void): void;
  stop(): Promise<void>;
}

/**
 * The agent's composition root (GUIDE §8): reads the node's identity, then every interval
 * collects, builds a batch and hands it to the stream (which buffers until acked).
 */
export async function startAgent(config: AgentConfig, deps: AgentDeps): Promise<Agent> {
  const { clock, random, logger } = deps;
  if (!config.aggregatorUrl) throw hmsError('HMS_CONFIG_INVALID', '--aggregator is required');
  const lock: DirLock = acquireDirLock(config.stateDir, 'agent state dir');
  let token: string | undefined;
  let executor: Executor | undefined;
  try {
    token = config.tokenFile ? readToken(config.tokenFile) : undefined;
    const node = await openNode(config, deps);
    const nodeInfo = toNodeInfo(node.info, config.simulatedBoot);
    const maxBatches = Math.max(1, Math.ceil(config.bufferMs / config.intervalMs));
    const buffer = new ReplayBuffer(maxBatches);
    const streamId = randomUUID();
    let commandHandler: ((cmd: ICommand) => void) | undefined;
    // The patch executor: state in <state-dir>/agent.db; statuses go out on the stream (queued while disconnected).
    const exec: Executor = createExecutor(config, { clock, logger, send: (status) => stream.sendStatus(status) });
    executor = exec;
    const stream = new StreamClient(
      {
        url: config.aggregatorUrl,
        hello: () => ({ nodeName: config.node, agentVersion: AGENT_VERSION, node: nodeInfo, streamId, intervalMs: config.intervalMs, inFlight: exec.runner.inFlight() }),
        buffer,
        backoffBaseMs: 500,
        backoffCapMs: 30_000,
        idleTimeoutMs: 45_000,
        highWaterBytes: 8 * 1024 * 1024,
        // Token and TLS files are re-read at every connection attempt: rotate them without a restart.
        token: config.tokenFile ? rereadOnConnect(() => readToken(config.tokenFile as string), token, logger) : token,
        ...(config.caFile || config.clientCertFile ? { tls: rereadOnConnect(() => readTls(config), readTls(config), logger) } : {}),
      },
      {
        onCommand: (cmd) => {
          exec.runner.onCommand(cmd);
          commandHandler?.(cmd);
        },
        onConnected: () => exec.runner.flush(),
      },
      clock, random, logger.child({ component: 'stream' }),
    );
    let lastCollectionMs = 0;
    const metrics = createAgentMetrics({ unacked: () => buffer.size, reconnects: () => stream.reconnects, connected: () => stream.connected });
    let seq = 0;
    let droppedSeen = 0;
    const tick = (): void => {
      try {
        const c = node.collect();
        lastCollectionMs = clock.now();
        metrics.collectionDuration.observe(c.durationUsec / 1e6);
        metrics.cgroupsScanned.set(c.cgroupsScanned);
        metrics.podsSeen.set(c.pods.length);
        if (c.readErrors > 0) metrics.readErrors.inc(c.readErrors);
        seq++;
        stream.sendBatch(buildBatch(seq, c, node.info.bootId, buffer.dropped));
        metrics.batchesSent.inc();
        if (buffer.dropped > droppedSeen) {
          metrics.droppedBatches.inc(buffer.dropped - droppedSeen);
          logger.warn({ dropped: buffer.dropped - droppedSeen, buffered: buffer.size }, 'replay buffer full: dropped the oldest unacknowledged batches');
          droppedSeen = buffer.dropped;
        }
      } catch (err) {
        logger.error({ err }, 'collection cycle failed');
      }
    };
    const server = config.metricsListen
      ? await startAgentServer(config.metricsListen.host, config.metricsListen.port, metrics.registry, () => {
          const age = clock.now() - lastCollectionMs;
          const ok = lastCollectionMs > 0 && age < Math.max(10_000, 5 * config.intervalMs);
          return { ok, detail: { node: config.node, connected: stream.connected, unacked: buffer.size, lastCollectionAgeMs: lastCollectionMs ? age : null, lastError: stream.lastError || null } };
        }, logger).catch((err: unknown) => {
          throw hmsError('HMS_CONFIG_INVALID', `cannot serve agent metrics on ${config.metricsListen!.host}:${config.metricsListen!.port}: ${String((err as Error).message)}`, { hint: 'pick another --metrics-listen or "none"', cause: err });
        })
      : undefined;
    // Resume an interrupted command (this boot's id tells a reboot from an agent restart) before the first hello.
    exec.runner.start({ bootId: node.info.bootId, kernelVersion: node.info.kernelVersion, simulated: nodeInfo.simulatedBoot ?? false });
    stream.start();
    tick();
    const timer: TimerHandle = clock.setInterval(tick, config.intervalMs);
    logger.info({ node: config.node, aggregator: config.aggregatorUrl, cgroup: node.layout.version, bootId: node.info.bootId, kernel: node.info.kernelVersion, intervalMs: config.intervalMs }, 'agent started');
    return {
      node: config.node,
      metricsPort: server?.port,
      stream,
      metrics,
      onCommand(handler) {
        commandHandler = handler;
      },
      async stop() {
        timer.cancel();
        await stream.stop();
        await server?.close();
        exec.close();
        node.reader.close?.();
        lock.release();
      },
    };
  } catch (err) {
    executor?.close();
    lock.release();
    throw err;
  }
}

/** TLS material from --ca-file / --client-cert / --client-key (throws HMS_CONFIG_INVALID). */
function readTls(config: AgentConfig): StreamTls {
  const read = (file: string, flag: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw hmsError('HMS_CONFIG_INVALID', `cannot read ${flag} ${file}: ${errnoCode(err) ?? String(err)}`, { cause: err });
    }
  };
  return {
    ...(config.caFile ? { ca: read(config.caFile, '--ca-file') } : {}),
    ...(config.clientCertFile ? { cert: read(config.clientCertFile, '--client-cert') } : {}),
    ...(config.clientKeyFile ? { key: read(config.clientKeyFile, '--client-key') } : {}),
  };
}

/** A value re-read on every call, keeping the last good one when a read fails (a file mid-rotation). */
function rereadOnConnect<T>(read: () => T, initial: T, logger: Logger): () => T {
  let last = initial;
  return () => {
    try {
      last = read();
    } catch (err) {
      logger.warn({ err: String((err as Error).message) }, 'credential file unreadable; using the previous one');
    }
    return last;
  };
}

function readToken(file: string): string {
  try {
    const token = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'))?.split(/\s+/)[0];
    if (!token) throw hmsError('HMS_CONFIG_INVALID', `token file ${file} is empty`);
    return token;
  } catch (err) {
    if (err instanceof Error && 'code' in err && typeof errnoCode(err) === 'string') {
      throw hmsError('HMS_CONFIG_INVALID', `cannot read --token-file ${file}: ${errnoCode(err)}`, { cause: err });
    }
    throw err;
  }
}
