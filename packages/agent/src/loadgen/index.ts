/** Simulated agents for load tests: `hms-sys bench agents` and `npm run bench`. */
export { runSimulatedFleet, simulatedPods, simulatedPodCores, DEFAULT_FLEET_OPTIONS, type FleetProgress, type FleetReport, type SimulatedFleetOptions } from './simulatedFleet.js';
export { BatchEncoder, COUNTERS_PER_CONTAINER, type BatchValues, type TemplatePod } from './batchEncoder.js';
export { LatencyHistogram } from './latencyHistogram.js';
