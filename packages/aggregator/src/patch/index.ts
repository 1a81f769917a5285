/**
 * Patch orchestration, pure cores (no I/O): windows, estimates, preflight and placement, the
 * rollout plan, the per-node and run-level step machines, and the feed invariants. The runner
 * (I/O) drives the machines: see the contract at the top of nodeState.ts.
 */
export * from './agentStatus.js';
export * from './drainFilter.js';
export * from './durationEstimate.js';
export * from './invariants.js';
export * from './labelSelector.js';
export * from './nodeMachine.js';
export * from './nodeState.js';
export * from './patchEvents.js';
export * from './placement.js';
export * from './planRollout.js';
export * from './preflight.js';
export * from './runMachine.js';
export * from './runState.js';
export * from './windows.js';
export * from './zonedTime.js';
