import type { Clock, Logger } from '@hms-sys/common';
import type { Registry } from 'prom-client';
import type { ClusterDriver } from '../../drivers/types.js';
import type { EventLog } from '../../events/eventLog.js';
import type { Router } from '../../http/router.js';
import type { FleetState } from '../../ingest/fleetState.js';
import type { IngestService } from '../../ingest/ingestService.js';
import type { Db } from '../../store/database.js';
import { DEFAULT_NODE_PATCH_ESTIMATE_MS } from '../durationEstimate.js';
import { ensureCommandSigner, type CommandSigner } from './commandSigner.js';
import { registerPatchMetrics } from './patchMetrics.js';
import { PatchOrchestrator } from './patchOrchestrator.js';
import { addPatchRoutes } from './patchRoutes.js';
import { PatchStore } from './patchStore.js';

/**
 * The patch orchestrator's runner (I/O around the pure cores of ../): store, orchestrator, API,
 * metrics, command signing.
 */
export { commandKeyPaths, ensureCommandSigner, COMMAND_SIGNING_KEY_FILE, COMMAND_SIGNING_PUBLIC_KEY_FILE, type CommandSigner } from './commandSigner.js';
export { PatchOrchestrator, RUN_RESULT_LABELS, RUNNER_NODE_DEFAULTS, type AgentChannel, type LiveRun, type PatchOrchestratorDeps, type PatchOrchestratorOptions, type RunResultLabel } from './patchOrchestrator.js';
export { parsePatchRequest, expandNow, type PatchRequest } from './patchRequest.js';
export { PatchStore } from './patchStore.js';
export { runView, runSummary, planView } from './patchView.js';

/**
 * Default estimate of one node's patch without history, by driver: a Kubernetes node drains,
 * upgrades packages and reboots (DEFAULT_NODE_PATCH_ESTIMATE_MS, 15 min); a virtual node of the
 * local driver reboots in seconds (2 min keeps window-fit meaningful without refusing short
 * demo windows). History replaces either as soon as nodes have been patched.
 */
export const LOCAL_DRIVER_ESTIMATE_MS = 2 * 60_000;

export interface PatchAttachment {
  readonly orchestrator: PatchOrchestrator;
  readonly signer: CommandSigner;
  /** Call after driver.start(): resumes unsettled runs and starts ticking. */
  start(): void;
  stop(): void;
}

/**
 * Wires the patch orchestrator into the aggregator (one call from the composition root): the
 * command-signing key, the store, the ingest listener (hello, disconnect,
 * CommandStatus), the routes and the metrics.
 */
export function attachPatchOrchestrator(deps: {
  readonly dataDir: string;
  /** --command-signing-key-file; undefined: the data dir's key pair. */
  readonly commandSigningKeyFile?: string | undefined;
  readonly db: Db;
  readonly driver: ClusterDriver;
  readonly ingest: IngestService;
  readonly fleet: FleetState;
  readonly events: EventLog;
  readonly router: Router;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random?: () => number;
}): PatchAttachment {
  const logger = deps.logger.child({ component: 'patch' });
  const signer = ensureCommandSigner(deps.dataDir, logger, deps.commandSigningKeyFile);
  let orchestrator: PatchOrchestrator | undefined;
  const metrics = registerPatchMetrics(deps.registry, () => orchestrator?.metricRuns() ?? []);
  orchestrator = new PatchOrchestrator({
    store: new PatchStore(deps.db),
    driver: deps.driver,
    agents: {
      sendCommand: (node, cmd) => deps.ingest.sendCommand(node, cmd),
      isConnected: (node) => deps.ingest.session(node) !== undefined,
      simulatedBoot: (node) => deps.fleet.node(node)?.info.simulatedBoot ?? false,
      agentBoot: (node) => {
        const n = deps.fleet.node(node);
        return n?.connected && deps.ingest.session(node) ? { bootId: n.info.bootId ?? '', kernelVersion: n.info.kernelVersion ?? '' } : undefined;
      },
    },
    signer,
    events: deps.events,
    clock: deps.clock,
    logger,
    random: deps.random ?? Math.random,
    options: { defaultEstimateMs: deps.driver.kind === 'local' ? LOCAL_DRIVER_ESTIMATE_MS : DEFAULT_NODE_PATCH_ESTIMATE_MS },
    onSettled: (_run, result) => metrics.settled(result),
  });
  const o = orchestrator;
  deps.ingest.addListener(o);
  addPatchRoutes(deps.router, o);
  logger.info({ keyId: signer.keyId, publicKey: signer.publicKeyFile }, 'commands are signed (Ed25519); agents verify them with --command-public-key');
  return { orchestrator: o, signer, start: () => o.start(), stop: () => o.stop() };
}
