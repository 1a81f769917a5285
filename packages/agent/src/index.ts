/** @hms-sys/agent — the node agent's public surface for the CLI and tests. */
export { startAgent, openNode, AGENT_VERSION, type Agent, type AgentDeps, type NodeReaders } from './agent.js';
export { AGENT_OPTIONS, agentConfigFrom, type AgentConfig } from './config.js';
export type { Collection } from './stream/batchBuilder.js';
export * as executor from './executor/index.js';
export * as loadgen from './loadgen/index.js';
