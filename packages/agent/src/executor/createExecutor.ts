import type { Clock, Logger } from '@hms-sys/common';
import type { ICommandStatus } from '@hms-sys/protocol';
import type { AgentConfig } from '../config.js';
import { ShellCommandRunner, type CommandRunner } from './commandRunner.js';
import { loadCommandVerifier, type CommandVerifier } from './commandVerifier.js';
import { DEFAULT_EXECUTOR_CONFIG } from './executorMachine.js';
import { ExecutorRunner } from './executorRunner.js';
import { ExecutorStore } from './executorStore.js';
import { resolveHostCommands } from './hostCommands.js';

/** Timeout of the reboot command itself (it should return at once; the machine goes down after), ms. */
export const REBOOT_COMMAND_TIMEOUT_MS = 120_000;

export interface Executor {
  readonly runner: ExecutorRunner;
  /** Stops the runner and closes agent.db (running commands are left to finish). */
  close(): void;
}

/**
 * Builds the agent's patch executor from its config: agent.db in --state-dir, the command
 * verifier (--command-public-key), the host commands, the opt-ins. Throws HMS_CONFIG_INVALID for
 * an unusable public key and HMS_STORE_* when agent.db cannot be opened.
 */
export function createExecutor(
  config: AgentConfig,
  deps: { clock: Clock; logger: Logger; send: (status: ICommandStatus) => boolean; runner?: CommandRunner; verifier?: CommandVerifier },
): Executor {
  const logger = deps.logger.child({ component: 'executor' });
  const verifier = deps.verifier ?? loadCommandVerifier(config.commandPublicKey);
  const commands = resolveHostCommands({
    hostRoot: config.hostRoot,
    ...(config.patchCommand ? { patchCommand: config.patchCommand } : {}),
    ...(config.rebootCommand ? { rebootCommand: config.rebootCommand } : {}),
    ...(config.rebootRequiredFile ? { rebootRequiredFile: config.rebootRequiredFile } : {}),
    ...(config.rebootRequiredCommand ? { rebootRequiredCommand: config.rebootRequiredCommand } : {}),
  });
  const described = commands.describe();
  const shell = deps.runner ? undefined : new ShellCommandRunner();
  const store = ExecutorStore.open(config.stateDir);
  const runner = new ExecutorRunner({
    config: {
      ...DEFAULT_EXECUTOR_CONFIG,
      nodeName: config.node,
      allowPatch: config.allowPatch,
      allowReboot: config.allowReboot,
      rebootTimeoutMs: config.rebootTimeoutMs,
      commandText: { patch: described.patch, reboot: described.reboot },
    },
    store,
    runner: deps.runner ?? (shell as ShellCommandRunner),
    commands,
    verifier,
    clock: deps.clock,
    logger,
    send: deps.send,
    patchTimeoutMs: config.patchTimeoutMs,
    rebootCommandTimeoutMs: REBOOT_COMMAND_TIMEOUT_MS,
  });
  if (verifier.keyId === undefined) {
    logger.warn('no --command-public-key configured: every patch command will be refused (bad_signature). Pass the aggregator\'s <data-dir>/command-signing.pub as --command-public-key (Kubernetes: mount it from a ConfigMap)');
  }
  logger.info({
    allowPatch: config.allowPatch,
    allowReboot: config.allowReboot,
    keyId: verifier.keyId ?? null,
    packageManager: commands.packageManager ?? null,
    patchCommands: described.patch,
    rebootCommand: described.reboot,
    rebootRequired: described.rebootRequired,
  }, config.allowPatch ? 'patch executor ready' : 'patch executor in report-only mode (no --allow-patch): commands are answered with what would have run');
  return {
    runner,
    close() {
      runner.stop();
      shell?.abandon();
      store.close();
    },
  };
}
