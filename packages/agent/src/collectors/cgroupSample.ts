import type { QosClass } from './kubeCgroupNames.js';
import type { ReadProblem } from './readProblems.js';

/**
 * One container's cumulative CPU counters; maps 1:1 onto protobuf `ContainerSample`.
 * All values are safe integers: microseconds, or counts. They only grow while the container
 * lives; a new container is a new id starting from 0.
 */
export interface ContainerCpuSample {
  /** Runtime container id (64 hex) for Kubernetes, the leaf cgroup name for workloads. */
  readonly id: string;
  /** Leaf cgroup name for workloads; '' for Kubernetes (names come from the driver). */
  readonly name: string;
  readonly cpuUsageUsec: number;
  /** Time throttled by this cgroup's own limit. 0 when unknown (v1 without `cpu` hierarchy, or a failed read in a `partial` pod). */
  readonly cpuThrottledUsec: number;
  readonly nrThrottled: number;
  readonly nrPeriods: number;
  /** v1: 10 ms resolution (USER_HZ ticks). */
  readonly cpuUserUsec: number;
  readonly cpuSystemUsec: number;
}

/**
 * One pod (or workload) and its containers; maps 1:1 onto protobuf `PodSample`.
 *
 * Partial results (GUIDE §10): `partial` is true when any file of this pod failed this cycle.
 * A container whose usage could not be read is omitted rather than sent as 0, because a 0 after
 * a non-zero value would read as a counter reset; a container whose usage was read but whose
 * secondary files (v1 `cpuacct.stat`, v1 `cpu.stat`) failed is kept with those fields 0.
 */
export interface PodCpuSample {
  /** Pod UID with dashes (36 chars) or a static pod's 32-hex hash; the child cgroup name for workloads. */
  readonly uid: string;
  /** '' for Kubernetes pods; the basename of the workload parent for workloads. */
  readonly namespace: string;
  /** '' for Kubernetes pods; the child cgroup name for workloads. */
  readonly name: string;
  /** '' for workloads. */
  readonly qosClass: QosClass | '';
  /** Path of the pod cgroup relative to the accounting hierarchy root (what /proc/<pid>/cgroup shows). */
  readonly cgroupPath: string;
  /** Cumulative usage of the pod cgroup itself (includes pause/sandbox and helpers); 0 if unread (then `partial`). */
  readonly cpuUsageUsec: number;
  readonly partial: boolean;
  readonly containers: readonly ContainerCpuSample[];
}

/** One collection cycle of the cgroup collector. */
export interface CgroupCollection {
  /**
   * Pods in discovery order: Kubernetes pods, then workloads in --workload-parent order; by
   * directory name within a directory, except that cgroups found by a re-list within the cycle
   * come last. Consumers must not depend on the order.
   */
  readonly pods: readonly PodCpuSample[];
  /** Cgroups (pods + containers) whose CPU files were read this cycle, successfully or not; one found gone is not counted. */
  readonly cgroupsScanned: number;
  /** Files that vanished, were unreadable or malformed (uncapped). A pod that left is not an error. */
  readonly readErrors: number;
  /** The first few problems, for debug logs. */
  readonly errors: readonly ReadProblem[];
}
