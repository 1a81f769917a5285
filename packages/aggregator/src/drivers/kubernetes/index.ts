/** The Kubernetes cluster driver (client-node 1.4.0). */
export { KubernetesDriver, type KubernetesDriverOptions } from './kubernetesDriver.js';
export { loadKubeConfig, podNamespace, SERVICE_ACCOUNT_DIR, type KubeConfigSource } from './loadKubeConfig.js';
export { LeaseElector, DEFAULT_LEADER_ELECTION, type LeaderElectionConfig } from './leaseElector.js';
export { KubeScalingPolicySource, DEFAULT_STATUS_MIN_INTERVAL_MS } from './kubeScalingPolicySource.js';
export { SCALING_POLICY, policySpecFromAutoscaler, autoscalerFromPolicySpec } from './scalingPolicySpec.js';
export { DEFAULT_LIST_WATCH_OPTIONS, type ListWatchOptions } from './listWatcher.js';
export { podFromKube, MIRROR_ANNOTATION, CONFIG_HASH_ANNOTATION } from './podFromKube.js';
export { cpuMilli } from '../cpuQuantity.js';
