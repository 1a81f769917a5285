/**
 * Plain data of the HPA core (Kubernetes autoscaling/v2, CPU utilization only).
 * Units: CPU in millicores (integers), times in ms since the epoch, windows and periods in seconds
 * (as in the HPA API). Everything here is readonly data: the core never mutates its inputs.
 */
import type { PodPhase } from '../drivers/types.js';

/** `selectPolicy` of one scaling direction. */
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** One rate-limit policy: at most `value` pods (Pods) or percent (Percent) per `periodSeconds`. */
export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  /** > 0. */
  readonly value: number;
  /** 1..1800. */
  readonly periodSeconds: number;
}

/** One direction of `behavior`, every field present (defaults applied, see defaults.ts). */
export interface ScalingRules {
  /** 0..3600. */
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: SelectPolicy;
  /** Non-empty. */
  readonly policies: readonly ScalingPolicy[];
  /** HPAConfigurableTolerance: overrides the autoscaler-wide tolerance for this direction. */
  readonly tolerance?: number;
}

/** `spec.behavior` in the HPA v2 shape, both directions completed. */
export interface Behavior {
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** Tolerance per direction: a ratio r is "within" iff `1 - scaleDown <= r <= 1 + scaleUp`. */
export interface Tolerance {
  readonly scaleUp: number;
  readonly scaleDown: number;
}

/**
 * One autoscaler with every default applied (defaults.ts). The last five fields are the
 * kube-controller-manager flags in Kubernetes; here each autoscaler carries its own.
 */
export interface AutoscalerSpec {
  /** >= 0 (0 = scale to zero allowed). */
  readonly minReplicas: number;
  /** >= max(1, minReplicas). */
  readonly maxReplicas: number;
  /** Target average CPU utilization in percent of the request, integer >= 1. */
  readonly targetCPUUtilizationPercentage: number;
  /** Cluster-wide tolerance (the flag); `behavior.*.tolerance` overrides per direction. */
  readonly tolerance: Tolerance;
  /** null = legacy path (no `spec.behavior`). */
  readonly behavior: Behavior | null;
  readonly cpuInitializationPeriodSeconds: number;
  readonly initialReadinessDelaySeconds: number;
  /** Legacy stabilization window; also fills `behavior.scaleDown.stabilizationWindowSeconds` when unset. */
  readonly downscaleStabilizationWindowSeconds: number;
  /** Legacy per-sync cap: `floor(max(factor * current, minimum))`. */
  readonly scaleUpLimitFactor: number;
  readonly scaleUpLimitMinimum: number;
}

/** A container as the request calculation sees it. */
export interface ContainerRequest {
  readonly name: string;
  /** requests.cpu in millicores; null = no request (an error, as in Kubernetes). */
  readonly cpuRequestMilli: number | null;
}

/** One pod selected by the autoscaler, with its latest CPU sample. Pod names are unique. */
export interface PodMetricInput {
  readonly name: string;
  readonly phase: PodPhase;
  /** metadata.deletionTimestamp is set. */
  readonly deleted: boolean;
  /** Status of the Ready condition; null = the pod has no Ready condition. */
  readonly ready: boolean | null;
  /** lastTransitionTime of the Ready condition (ms). Ignored when `ready` is null. */
  readonly readyTransitionMs: number;
  /** status.startTime (ms); null = not set. */
  readonly startTimeMs: number | null;
  /** Containers counted for the request (regular ones and restartable init containers). */
  readonly containers: readonly ContainerRequest[];
  /** Pod-level requests.cpu (PodLevelResources); when set it replaces the containers' sum. */
  readonly podCpuRequestMilli?: number | null;
  /** Usage in millicores (integer); null = no metric for this pod. */
  readonly cpuUsageMilli: number | null;
  /** When the sample was taken (ms). */
  readonly metricTimestampMs: number;
  /** The window the rate covers (ms). */
  readonly metricWindowMs: number;
}

/** A stored unstabilized recommendation. */
export interface TimestampedRecommendation {
  readonly replicas: number;
  readonly timestampMs: number;
}

/** A stored scale event: the absolute change (> 0) in one direction. */
export interface ScaleEvent {
  readonly replicaChange: number;
  readonly timestampMs: number;
  /** Older than the direction's longest policy period when the last event was stored: reusable slot. */
  readonly outdated: boolean;
}

/**
 * What Kubernetes keeps in controller memory per HPA. The caller persists it between reconciles
 * and passes it back; null means the autoscaler is seen for the first time.
 */
export interface AutoscalerHistory {
  readonly recommendations: readonly TimestampedRecommendation[];
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
}

export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/** An HPA status condition (reference §10). */
export interface AutoscalerCondition {
  readonly type: ConditionType;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

/** The ScalingLimited reason. */
export type LimitReason = 'DesiredWithinRange' | 'TooManyReplicas' | 'TooFewReplicas' | 'ScaleUpLimit' | 'ScaleDownLimit';

/** The outcome of one reconcile. */
export interface AutoscalerDecision {
  /** The replica count to set (equals currentReplicas when nothing changes). */
  readonly desiredReplicas: number;
  /** desiredReplicas != currentReplicas: the caller updates the scale. */
  readonly rescale: boolean;
  /** Raw proposal before stabilization and rate limits (the override when one was given); null when none. */
  readonly recommendation: number | null;
  /** Utilization of the first pass in percent (what Kubernetes reports); null when not computed. */
  readonly cpuUtilizationPercent: number | null;
  /** Average usage per pod of the first pass in millicores (truncated); null when not computed. */
  readonly rawAverageMilli: number | null;
  /** ScalingLimited reason; null when no normalization ran. */
  readonly limitReason: LimitReason | null;
  /** In the order AbleToScale, ScalingActive, ScalingLimited (only those that were set). */
  readonly conditions: readonly AutoscalerCondition[];
  /** Kubernetes' rescale reason, e.g. "All metrics below target"; null when there is none. */
  readonly rescaleReason: string | null;
  /** The metric error that made ScalingActive False (FailedGetResourceMetric). */
  readonly error?: string;
  /** History to persist and pass back next time. */
  readonly history: AutoscalerHistory;
}

/** What a normalization path (legacy or behavior) decided, before the rescale step. */
export interface NormalizationOutcome {
  /** Final desired count after stabilization and limits. */
  readonly desiredReplicas: number;
  /** After stabilization, before limits. */
  readonly stabilizedReplicas: number;
  /** AbleToScale reason: ReadyForNewScale, ScaleUpStabilized or ScaleDownStabilized. */
  readonly stabilizationReason: 'ReadyForNewScale' | 'ScaleUpStabilized' | 'ScaleDownStabilized';
  /** ScalingLimited reason; status True iff desiredReplicas != stabilizedReplicas. */
  readonly limitReason: LimitReason;
  /** Recommendations with the new unstabilized one stored. */
  readonly recommendations: readonly TimestampedRecommendation[];
}
