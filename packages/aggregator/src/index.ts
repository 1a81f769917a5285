/** @hms-sys/aggregator — the deliberate public surface used by the CLI and tests. */
export { startAggregator, type Aggregator, type AggregatorDeps, type AggregatorCore } from './aggregator.js';
export { AGGREGATOR_OPTIONS, AGGREGATOR_TLS_OPTIONS, aggregatorConfigFrom, parseListen, DEFAULT_ACCESS_LIMITS, DEFAULT_LISTEN, type AccessLimits, type AggregatorConfig } from './config.js';
export { ensureCredentials, credentialPaths } from './credentials.js';
export { NoopDriver } from './drivers/noopDriver.js';
export type * from './drivers/types.js';
export { EventType, type FeedEvent } from './events/eventTypes.js';
export * from './autoscaler/index.js';
export { commandKeyPaths, COMMAND_SIGNING_PUBLIC_KEY_FILE, LOCAL_DRIVER_ESTIMATE_MS, type PatchOrchestrator, type PatchRequest } from './patch/runner/index.js';
export { checkPatchInvariants, type FeedEventLike, type InvariantViolation } from './patch/invariants.js';
