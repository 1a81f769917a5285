/** The agent's collectors: cgroup CPU per pod/container, node usage, node info. Each reads through HostPaths + HostReader. */
export { detectCgroupLayout, type CgroupLayout } from './cgroupLayout.js';
export { CgroupCollector, type CgroupCollectorOptions } from './cgroupCollector.js';
export type { CgroupCollection, ContainerCpuSample, PodCpuSample } from './cgroupSample.js';
export { parseCpuacctStat, parseCpuacctUsage, parseCpuStatV1, parseCpuStatV2, USER_HZ } from './cgroupCpuParsers.js';
export type { CpuacctStat, CpuStatV1, CpuStatV2 } from './cgroupCpuParsers.js';
export { classifyKubepodsChild, classifyPodChild, podUidFromDirName, type CgroupDriver, type QosClass } from './kubeCgroupNames.js';
export { collectNodeUsage, type NodeUsage, type NodeUsageResult } from './collectNodeUsage.js';
export { readNodeInfo, systeminformationFacts, type NodeInfo, type ReadNodeInfoOptions, type SystemFacts, type SystemFactsProvider } from './readNodeInfo.js';
export { parseProcStat, type ProcStat } from './parseProcStat.js';
export { parseMeminfo, type Meminfo } from './parseMeminfo.js';
export { parseOsRelease, osImageOf } from './parseOsRelease.js';
export { DEFAULT_MAX_PROBLEM_DETAILS, type ReadProblem, type ReadProblemReason } from './readProblems.js';
