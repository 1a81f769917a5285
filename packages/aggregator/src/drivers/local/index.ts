/** The local driver (SPEC §7): Deployments as real processes in real cgroups, on one machine. */
export { LocalDriver, DEFAULT_CGROUP_PARENT, DEFAULT_CGROUP_ROOT, DEFAULT_SHUTDOWN_GRACE_MS, type LocalDriverOptions, type LocalDriverMode } from './localDriver.js';
export { parseManifests, parseManifestObjects, DEFAULT_NAMESPACE, type Manifest, type DeploymentManifest, type DisruptionBudgetManifest, type ParsedManifests, type ContainerSpec, type ProbeSpec, type ProbeAction } from './manifests.js';
export { parseCpuQuantity, formatCpuMilli, cpuSettings, podCpuSettings, sharesFromMilli, quotaFromMilli, weightFromShares } from './quantity.js';
export { type ApplyResult, type EmitFn, type LocalNode } from './deploymentController.js';
export { type PodStatusRow } from './podStatus.js';
export { SpawnAgentLauncher, defaultCliBin, agentArgv, type AgentLauncher, type AgentLaunchSpec, type AgentHandle, type AgentExit, type SpawnAgentLauncherOptions } from './agentLauncher.js';
export { requestSimulatedReboot, requestSimulatedKernelPatch, nodeDir, REBOOT_REQUEST_FILE, KERNEL_PATCH_REQUEST_FILE, STAY_DOWN_FILE, HOLD_REBOOT_FILE, type RebootResult } from './nodeSupervisor.js';
export { processWorkloadsPath, parseProcessWorkloads, readProcessWorkloads, PROCESS_WORKLOADS_FILE, type ProcessWorkload } from './processWorkloads.js';
export { DEFAULT_CRASH_LOOP_POLICY, type CrashLoopPolicy } from './crashLoopBackoff.js';
export { simulatedPatchArgs, SIMULATED_REBOOT_REQUIRED } from './simulatedPatching.js';
