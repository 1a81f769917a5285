/** The autoscaler core: HPA semantics as pure functions (GUIDE principle 5). */
export * from './types.js';
export * from './defaults.js';
export { CONDITION_ORDER, CPU_METRIC_NAME, REASON } from './conditions.js';
export { decideReplicas, type DecideReplicasInput } from './decideReplicas.js';
export { computeCpuReplicas, type CpuReplicasInput, type CpuReplicasResult } from './replicaCalculator.js';
export { groupPods, type PodGroups, type ReadinessTiming } from './groupPods.js';
export { isWithinTolerance, effectiveTolerance } from './tolerance.js';
export { simulateScenario, isSimulateError, type SimulateOutput, type SimulateError } from './simulate.js';
export { parseScenario, type Scenario } from './parseScenario.js';
export { parseAutoscalerSpec } from './parseAutoscaler.js';
