/**
 * The cluster as the aggregator sees it, whatever runs it (Kubernetes or the local driver).
 * Plain data only: decision cores (autoscaler, patch planner) take these and import no I/O.
 * CPU quantities are millicores; times are ms since the epoch.
 */

export interface DriverNode {
  readonly name: string;
  /** Allocatable CPU in millicores (what pods may request in total). */
  readonly allocatableCpuMilli: number;
  /** spec.unschedulable (cordoned). */
  readonly unschedulable: boolean;
  /** Ready condition. */
  readonly ready: boolean;
  readonly bootId?: string;
  readonly kernelVersion?: string;
  readonly osImage?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Taints as `key=value:Effect` (local driver: none). */
  readonly taints?: readonly string[];
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface DriverContainer {
  readonly name: string;
  /** Runtime id as the agent sees it in the cgroup path (no `containerd://` prefix). */
  readonly id?: string;
  /** requests.cpu in millicores; undefined = no request. */
  readonly cpuRequestMilli?: number;
  readonly cpuLimitMilli?: number;
  readonly image?: string;
}

export interface PodOwner {
  readonly kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet' | 'StatefulSet' | 'Job' | 'Node' | string;
  readonly name: string;
}

export interface DriverPod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  /** Node the pod is bound to; undefined while unscheduled. */
  readonly node?: string;
  readonly phase: PodPhase;
  /** metadata.deletionTimestamp is set. */
  readonly deleted: boolean;
  /** Ready condition status: true, false, or undefined when the pod has no Ready condition. */
  readonly ready?: boolean;
  /** lastTransitionTime of the Ready condition (ms). */
  readonly readyTransitionMs?: number;
  /** status.startTime (ms); undefined = not set. */
  readonly startTimeMs?: number;
  readonly containers: readonly DriverContainer[];
  /**
   * Pod-level `spec.resources.requests.cpu` in millicores (Kubernetes PodLevelResources); when
   * set it is the pod's request for the HPA and the scheduler, whatever the containers say.
   */
  readonly cpuRequestMilli?: number;
  /** Controller owner resolved up the chain (Pod -> ReplicaSet -> Deployment gives the Deployment). */
  readonly owner?: PodOwner;
  /** Mirror (static) pod: drain skips it. */
  readonly mirror?: boolean;
  readonly qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  readonly restartCount?: number;
  /** Why the last container run ended, e.g. "Error (exit 1)", "OOMKilled". */
  readonly lastTerminationReason?: string;
  /** Pod uses emptyDir volumes (drain refuses unless allowed). */
  readonly hasEmptyDir?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  /** Why the pod is in its phase when that is not obvious, e.g. "Insufficient cpu" for Pending. */
  readonly statusMessage?: string;
}

/**
 * The pod's CPU request: its pod-level request when set, else the sum of its container requests,
 * or undefined when any container lacks one (HPA semantics).
 */
export function podCpuRequestMilli(pod: DriverPod): number | undefined {
  if (pod.cpuRequestMilli !== undefined) return pod.cpuRequestMilli;
  let total = 0;
  for (const c of pod.containers) {
    if (c.cpuRequestMilli === undefined) return undefined;
    total += c.cpuRequestMilli;
  }
  return pod.containers.length === 0 ? undefined : total;
}

export interface DriverDeployment {
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas: what the autoscaler calls currentReplicas. */
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DisruptionBudget {
  readonly namespace: string;
  readonly name: string;
  /** Pods the budget covers, by uid. */
  readonly podUids: readonly string[];
  /** status.disruptionsAllowed. */
  readonly disruptionsAllowed: number;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

export type EvictionOutcome =
  | { readonly kind: 'evicted' }
  /** The pod no longer exists (or is a different pod now): nothing to do. */
  | { readonly kind: 'gone' }
  /** 429: a disruption budget forbids it now; retry later. */
  | { readonly kind: 'blocked'; readonly budgets: readonly string[]; readonly message: string }
  /** 500 or other permanent problem (e.g. several PDBs select the pod). */
  | { readonly kind: 'error'; readonly message: string };

/** Read side: a consistent, synchronous view of the cluster kept current by the driver. */
export interface ClusterView {
  nodes(): readonly DriverNode[];
  pods(): readonly DriverPod[];
  deployments(): readonly DriverDeployment[];
  disruptionBudgets(): readonly DisruptionBudget[];
  /** True once the first full list has been received (readiness). */
  synced(): boolean;
}

/** Sets spec.replicas of a Deployment (the scale subresource on Kubernetes). */
export interface Scaler {
  scale(namespace: string, name: string, replicas: number): Promise<void>;
}

/** Node operations the patch orchestrator needs. */
export interface NodeOperator {
  /** Marks the node unschedulable. Returns whether it already was (a pre-existing cordon is kept). */
  cordon(node: string): Promise<{ alreadyCordoned: boolean }>;
  uncordon(node: string): Promise<void>;
  /** Evicts one pod, re-checking uid and node first; honours disruption budgets. */
  evict(pod: { namespace: string; name: string; uid: string; node: string }, opts?: { gracePeriodSeconds?: number }): Promise<EvictionOutcome>;
}

export type ClusterChange = 'nodes' | 'pods' | 'deployments' | 'budgets';

/** One scaling rule held by the cluster (Kubernetes: a ScalingPolicy custom resource). */
export interface ScalingPolicyEntry {
  readonly namespace: string;
  /** The target Deployment: the rule's identity, as in /v1/autoscalers/NS/NAME. */
  readonly name: string;
  /** The SPEC §5 autoscaler object the resource describes (not yet validated). */
  readonly autoscaler: Readonly<Record<string, unknown>>;
  /** Name of the resource holding it (differs from `name` when written by hand or GitOps). */
  readonly resourceName: string;
}

/** What a rule's status shows (a subset of the autoscaler loop's status). Times in ms. */
export interface ScalingPolicyStatus {
  readonly currentReplicas: number | null;
  readonly desiredReplicas: number | null;
  readonly currentCPUUtilizationPercentage: number | null;
  readonly conditions: readonly { readonly type: string; readonly status: string; readonly reason: string; readonly message: string }[];
  readonly lastScaleTimeMs: number | null;
}

/**
 * Scaling rules kept in the cluster, when the driver has such a store: then it, not the
 * aggregator's database, is the source of truth for rules (GitOps can write them).
 */
export interface ScalingPolicySource {
  /** Every valid rule, one per target Deployment. */
  list(): readonly ScalingPolicyEntry[];
  /** True once the first full list has been received (before that, list() is incomplete). */
  synced(): boolean;
  /** Creates or replaces the rule for Deployment namespace/name. Throws HMS_INPUT_INVALID when the cluster refuses it. */
  put(namespace: string, name: string, autoscaler: Readonly<Record<string, unknown>>): Promise<{ created: boolean }>;
  /** Deletes the rule for Deployment namespace/name; false when there was none. */
  delete(namespace: string, name: string): Promise<boolean>;
  /** Called after rules may have changed. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Publishes a rule's status; fire-and-forget, written only when it changed (rate-limited). */
  writeStatus(namespace: string, name: string, status: ScalingPolicyStatus): void;
}

/** What the aggregator runs on. */
export interface ClusterDriver extends ClusterView, Scaler, NodeOperator {
  readonly kind: 'local' | 'kubernetes';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Called after the view changed. Returns an unsubscribe function. */
  onChange(listener: (what: ClusterChange) => void): () => void;
  /**
   * Optional: where scaling rules live when the cluster holds them (Kubernetes: ScalingPolicy
   * resources). Absent: rules live in the aggregator's database only.
   */
  readonly policies?: ScalingPolicySource;
  /**
   * Optional: false while another replica holds leadership. Only the leader acts (scales,
   * cordons, evicts, writes statuses) and reports ready; a standby keeps its view warm.
   * Absent: always acting.
   */
  isLeader?(): boolean;
  /**
   * Optional: records a decision or a patch step where the cluster's own tools show it
   * (Kubernetes: an Event on the Deployment or Node, as the HPA controller writes them).
   * Fire-and-forget: never throws, never delays the caller.
   */
  recordEvent?(event: ClusterEvent): void;
}

/** A cluster-visible event about one object (see ClusterDriver.recordEvent). */
export interface ClusterEvent {
  readonly involved: { readonly kind: 'Deployment' | 'Node'; readonly namespace: string | undefined; readonly name: string };
  readonly type: 'Normal' | 'Warning';
  /** CamelCase, as Kubernetes reasons are (SuccessfulRescale, FailedRescale, ...). */
  readonly reason: string;
  readonly message: string;
}

/** Result of applying manifests (local driver only). */
export interface ApplyOutcome {
  readonly results: readonly { readonly kind: string; readonly namespace: string; readonly name: string; readonly action: string }[];
  readonly warnings: readonly string[];
}

/**
 * Drivers that run workloads themselves (the local driver) also accept manifests. On Kubernetes
 * users apply with kubectl and GitOps; HMS-SYS never writes their Deployments.
 */
export interface WorkloadManager {
  apply(text: string): ApplyOutcome;
  deleteDeployment(namespace: string, name: string): { pods: number };
}

export function isWorkloadManager(d: unknown): d is WorkloadManager {
  return typeof (d as WorkloadManager).apply === 'function' && typeof (d as WorkloadManager).deleteDeployment === 'function';
}
