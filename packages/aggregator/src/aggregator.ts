import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { acquireDirLock, hmsError, type Clock, type DirLock, type Logger, type TimerHandle } from '@hms-sys/common';
import { DEFAULT_ACCESS_LIMITS, type AggregatorConfig } from './config.js';
import { credentialPaths, ensureCredentials } from './credentials.js';
import type { ClusterDriver } from './drivers/types.js';
import { EventLog } from './events/eventLog.js';
import { EventType } from './events/eventTypes.js';
import { SummaryPublisher } from './events/summaryPublisher.js';
import { DEFAULT_FEED_LIMITS } from './feed/feedConsumer.js';
import { FEED_PATH, FeedServer } from './feed/feedServer.js';
import { AgentTokens } from './http/agentTokens.js';
import { ApiTokens } from './http/apiTokens.js';
import { addCoreRoutes } from './http/coreRoutes.js';
import { addWorkloadRoutes } from './http/workloadRoutes.js';
import { Router } from './http/router.js';
import { KeyedRateLimiter } from './http/rateLimiter.js';
import { TlsFilesWatcher } from './http/tlsFiles.js';
import { addStatusPage } from './http/statusPage.js';
import { AGENT_STREAM_PATH, AgentStreamServer, rejectUpgrade } from './ingest/agentStreamServer.js';
import { FleetState } from './ingest/fleetState.js';
import { IngestService } from './ingest/ingestService.js';
import { podIdentity } from './ingest/podIdentity.js';
import { createAggregatorMetrics } from './metrics/aggregatorMetrics.js';
import { openDatabase, type Db } from './store/database.js';
import { IngestJournal } from './store/ingestJournal.js';
import { NodeStore } from './store/nodeStore.js';
import { AutoscalerLoop } from './scaling/autoscalerLoop.js';
import { registerAutoscalerMetrics } from './scaling/autoscalerMetrics.js';
import { addAutoscalerRoutes } from './scaling/autoscalerRoutes.js';
import { AutoscalerStore, type AutoscalerStatus } from './scaling/autoscalerStore.js';
import { parseAutoscalerObject } from './scaling/parseAutoscalerObject.js';
import { syncPolicies } from './scaling/policySync.js';
import { attachPatchOrchestrator, type PatchOrchestrator } from './patch/runner/index.js';
import { clusterEventFor } from './events/clusterEventFor.js';

/** What a driver factory gets: the aggregator's store and event log, and its URLs once listening. */
export interface AggregatorCore {
  readonly db: Db;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** ws://HOST:PORT/v1/agents/stream — valid once the server listens (before driver.start()). */
  agentStreamUrl(): string;
}

export interface AggregatorDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The cluster driver, or a factory building it on the aggregator's store and event log. */
  readonly driver: ClusterDriver | ((core: AggregatorCore) => ClusterDriver);
  /** Opened database; default: <dataDir>/aggregator.db. */
  readonly db?: Db;
}

/** A running aggregator. */
export interface Aggregator {
  /** Base URL, e.g. http://127.0.0.1:9400 (the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  readonly db: Db;
  readonly events: EventLog;
  readonly fleet: FleetState;
  readonly ingest: IngestService;
  readonly router: Router;
  readonly driver: ClusterDriver;
  readonly autoscaler: AutoscalerLoop;
  /** Patch runs (issue 4): create / control / inspect in process (the API is /v1/patches). */
  readonly patches: PatchOrchestrator;
  stop(): Promise<void>;
}

/**
 * The aggregator's composition root (GUIDE §8): validates nothing itself (config is already
 * typed), builds the store, ingest, metrics and HTTP surface, and starts listening.
 */
export async function startAggregator(config: AggregatorConfig, deps: AggregatorDeps): Promise<Aggregator> {
  const { clock, logger } = deps;
  const lock: DirLock = acquireDirLock(config.dataDir, 'data dir');
  try {
    if (!config.agentTokenFile || !config.apiTokenFile) ensureCredentials(config.dataDir);
    const paths = credentialPaths(config.dataDir);
    const agentTokens = new AgentTokens(config.agentTokenFile ?? paths.agentTokens);
    const apiTokens = new ApiTokens(config.apiTokenFile ?? paths.apiTokens);
    const db = deps.db ?? openDatabase(join(config.dataDir, 'aggregator.db'));
    const events = new EventLog(db, clock, logger.child({ component: 'events' }));
    const fleet = new FleetState();
    let streamUrl = '';
    const driver: ClusterDriver = typeof deps.driver === 'function'
      ? deps.driver({ db, events, clock, logger, agentStreamUrl: () => streamUrl })
      : deps.driver;
    // What HMS-SYS did, where the cluster's own tools show it (Kubernetes Events), when the driver can.
    const recordEvent = driver.recordEvent?.bind(driver);
    const unsubscribeClusterEvents = recordEvent
      ? events.subscribe((e) => {
          const c = clusterEventFor(e);
          if (c) recordEvent(c);
        })
      : () => undefined;
    const identify = (p: Parameters<typeof podIdentity>[0]): ReturnType<typeof podIdentity> =>
      podIdentity(p, driverPodIndex().get(p.uid));
    let podIndex = new Map<string, ReturnType<ClusterDriver['pods']>[number]>();
    let podIndexStale = true;
    const driverPodIndex = (): typeof podIndex => {
      if (podIndexStale) {
        podIndex = new Map(driver.pods().map((p) => [p.uid, p]));
        podIndexStale = false;
      }
      return podIndex;
    };
    const unsubscribeDriver = driver.onChange((what) => {
      if (what === 'pods') podIndexStale = true;
    });

    let ingest: IngestService | undefined;
    const metrics = createAggregatorMetrics({
      fleet, identify, agentsConnected: () => ingest?.connectedCount() ?? 0,
      podSeries: config.podSeries, maxPodSeries: config.maxPodSeries,
    });
    const journal = new IngestJournal(db, logger.child({ component: 'journal' }));
    ingest = new IngestService(
      fleet, journal, new NodeStore(db), events, metrics.ingest, clock,
      logger.child({ component: 'ingest' }),
      { staleAfterMs: config.staleAfterMs, heartbeatMs: 15_000, helloTimeoutMs: 10_000 },
    );
    const limits = { ...DEFAULT_ACCESS_LIMITS, ...config.limits };
    const monotonic = (): number => clock.monotonic();
    const streams = new AgentStreamServer(ingest, agentTokens, config.maxFrameBytes, {
      requireClientCert: config.tls?.clientCaFile !== undefined,
      connectLimiter: new KeyedRateLimiter(limits.agentConnectRate, limits.agentConnectBurst, monotonic),
      frameRate: { ratePerSec: limits.agentFrameRate, burst: limits.agentFrameBurst },
      nowMs: monotonic,
    });

    let autoscaler: AutoscalerLoop | undefined;
    const autoscalerCounters = registerAutoscalerMetrics(metrics.registry, () => autoscaler);
    const autoscalerStore = new AutoscalerStore(db);
    // Rules held by the cluster (Kubernetes: ScalingPolicy resources) when the driver has them.
    const policies = driver.policies;
    autoscaler = new AutoscalerLoop({
      store: autoscalerStore, driver, fleet, events, counters: autoscalerCounters, clock,
      logger: logger.child({ component: 'autoscaler' }), parseSpec: parseAutoscalerObject,
      options: { intervalMs: config.autoscaleIntervalMs, resyncMs: 15_000, sliceMs: 5 },
      ...(policies ? { onStatus: (ns: string, name: string, status: AutoscalerStatus) => policies.writeStatus(ns, name, status) } : {}),
    });
    const loop = autoscaler;
    ingest.addListener({ onBatch: (node) => loop.onBatch(node) });

    const router = new Router(apiTokens, logger.child({ component: 'api' }), (req, status) => {
      events.append(EventType.ApiWrite, { caller: req.caller?.name, role: req.caller?.role, method: req.method, path: req.path, status });
    });
    addCoreRoutes(router, {
      fleet, view: driver, registry: metrics.registry, events,
      ready: () => {
        const reasons: string[] = [];
        if (!db.open) reasons.push('store closed');
        if (!driver.synced()) reasons.push(`${driver.kind} driver not synced`);
        // A standby must not receive agents or API writes: the Service routes to the leader only.
        if (driver.isLeader?.() === false) reasons.push('standby: another replica holds the leader lease');
        return { ready: reasons.length === 0, reasons };
      },
    });

    addAutoscalerRoutes(router, autoscalerStore, loop, events, clock, policies);
    // The cluster's rules are the truth: mirror every change into the store and the loop.
    const unsubscribePolicies = policies
      ? policies.onChange(() => syncPolicies({ source: policies, store: autoscalerStore, loop, events, clock, logger: logger.child({ component: 'autoscaler' }) }))
      : () => undefined;
    addWorkloadRoutes(router, driver);
    const feed = new FeedServer(events, apiTokens, { ...DEFAULT_FEED_LIMITS, maxLagEvents: config.feedMaxLagEvents }, {
      connectLimiter: new KeyedRateLimiter(limits.feedConnectRate, limits.feedConnectBurst, monotonic),
      maxConsumersPerCaller: limits.feedMaxConsumers,
    });
    feed.addRoutes(router);
    addStatusPage(router);
    // Patch orchestrator: command-signing keys in the data dir, runs in SQLite, /v1/patches, hms_sys_patch_* metrics.
    const patches = attachPatchOrchestrator({ dataDir: config.dataDir, commandSigningKeyFile: config.commandSigningKeyFile, db, driver, ingest, fleet, events, router, registry: metrics.registry, clock, logger });

    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      router.handle(req, res).catch((err: unknown) => {
        logger.error({ err }, 'request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    };
    // --tls-cert: HTTPS and wss:// on the same port; certificate files re-read when they change.
    const tls = config.tls ? new TlsFilesWatcher(config.tls) : undefined;
    const server: Server = tls ? (createHttpsServer(tls.serverOptions(), onRequest) as unknown as Server) : createServer(onRequest);
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === AGENT_STREAM_PATH) return streams.handleUpgrade(req, socket, head);
      if (path === FEED_PATH) return feed.handleUpgrade(req, socket, head);
      socket.on('error', () => socket.destroy());
      rejectUpgrade(socket, 404, 'Not Found', `no WebSocket endpoint at ${path}`);
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    server.keepAliveTimeout = 5000;

    ingest.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE'
          ? hmsError('HMS_CONFIG_INVALID', `${config.host}:${config.port} is already in use`, { hint: 'pick another --listen address', cause: err })
          : err));
      server.listen(config.port, config.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
    streamUrl = `${tls ? 'wss' : 'ws'}://${host}:${port}${AGENT_STREAM_PATH}`;
    try {
      await driver.start();
    } catch (err) {
      ingest.stop();
      server.closeAllConnections();
      server.close();
      throw err;
    }
    loop.start();
    patches.start();
    // Rotation without restart: a changed certificate is picked up within a second.
    const tlsReload: TimerHandle | undefined = tls
      ? clock.setInterval(() => {
          try {
            const context = tls.poll();
            if (!context) return;
            (server as unknown as { setSecureContext(o: typeof context): void }).setSecureContext(context);
            logger.info({ cert: tls.files.certFile }, 'TLS certificate files changed: new connections use them');
          } catch (err) {
            logger.error({ err }, 'TLS certificate files changed but do not load; keeping the previous ones');
          }
        }, 1000)
      : undefined;
    const summaries = new SummaryPublisher(events, fleet, driver, loop, clock, logger.child({ component: 'summary' }), config.summaryIntervalMs);
    summaries.start();

    const housekeeping: TimerHandle = clock.setInterval(() => {
      try {
        events.prune(config.eventRetentionMs);
        journal.prune(clock.now(), config.batchRetentionMs);
        const known = new Set(driver.nodes().map((n) => n.name));
        ingest?.forgetGone(config.forgetNodesAfterMs, (name) => known.has(name));
      } catch (err) {
        logger.warn({ err }, 'retention pruning failed');
      }
    }, 60_000);
    logger.info({ url, dataDir: config.dataDir, driver: driver.kind }, 'aggregator listening');

    let stopped = false;
    return {
      url, port, db, events, fleet, ingest, router, driver, autoscaler: loop, patches: patches.orchestrator,
      async stop() {
        if (stopped) return;
        stopped = true;
        housekeeping.cancel();
        tlsReload?.cancel();
        summaries.stop();
        unsubscribeClusterEvents();
        unsubscribeDriver();
        unsubscribePolicies();
        loop.stop();
        patches.stop();
        ingest?.stop();
        streams.close();
        feed.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await driver.stop();
        events.close();
        if (!deps.db) db.close();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}
