/**
 * Pure rules that turn kubelet and runtime cgroup directory names into pod and container
 * identity (reference cgroups-and-metrics.md §1.1-1.4). No I/O.
 */

/** Kubernetes QoS class, spelled as in `status.qosClass`. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** How the kubelet names its cgroups: `cgroupfs` (`kubepods/burstable/pod<uid>`) or `systemd` (`*.slice`). */
export type CgroupDriver = 'cgroupfs' | 'systemd';

/** The kubelet's node-allocatable cgroup, per driver, directly under the cgroup root. */
export const KUBEPODS_ROOTS: ReadonlyArray<{ readonly dir: string; readonly driver: CgroupDriver }> = [
  { dir: 'kubepods', driver: 'cgroupfs' },
  { dir: 'kubepods.slice', driver: 'systemd' },
];

/** What a child of the kubepods cgroup is. */
export type KubepodsChild =
  | { readonly kind: 'qos'; readonly qos: QosClass }
  | { readonly kind: 'pod'; readonly uid: string }
  | { readonly kind: 'other' };

/** What a child of a pod cgroup is; `skip` carries the reason for debugging. */
export type PodChild =
  | { readonly kind: 'container'; readonly id: string }
  | { readonly kind: 'skip'; readonly reason: 'mount' | 'conmon' | 'sandbox' | 'unrecognised' };

// A UID is the 36-char dashed UUID, or a static pod's 32-hex config hash (no dashes).
const UID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/;
const CONTAINER_ID = /^[0-9a-f]{64}$/;

const QOS_DIRS: Readonly<Record<string, QosClass>> = {
  burstable: 'Burstable',
  besteffort: 'BestEffort',
  'kubepods-burstable.slice': 'Burstable',
  'kubepods-besteffort.slice': 'BestEffort',
};

/**
 * Classifies a child of `kubepods` / `kubepods.slice`: a QoS cgroup (Burstable, BestEffort) or a
 * Guaranteed pod, which sits directly under the root because the kubelet creates no QoS cgroup
 * for Guaranteed.
 */
export function classifyKubepodsChild(name: string, driver: CgroupDriver): KubepodsChild {
  const qos = QOS_DIRS[name];
  if (qos !== undefined && (driver === 'systemd') === name.endsWith('.slice')) return { kind: 'qos', qos };
  const uid = podUidFromDirName(name, driver);
  return uid === undefined ? { kind: 'other' } : { kind: 'pod', uid };
}

/**
 * The pod UID of a pod cgroup directory, or undefined if `name` is not one.
 * cgroupfs: `pod<uid>`. systemd: `kubepods[-<qos>]-pod<uid with _ for ->.slice`; the kubelet's
 * escaping is reversible because internal names never contain `_`.
 */
export function podUidFromDirName(name: string, driver: CgroupDriver): string | undefined {
  let last: string;
  if (driver === 'systemd') {
    if (!name.endsWith('.slice')) return undefined;
    const stem = name.slice(0, -'.slice'.length);
    last = stem.slice(stem.lastIndexOf('-') + 1).replaceAll('_', '-');
  } else {
    last = name;
  }
  if (!last.startsWith('pod')) return undefined;
  const uid = last.slice(3);
  return UID.test(uid) ? uid : undefined;
}

/**
 * Classifies a child of a pod cgroup, following cAdvisor and the kubelet:
 * - `*.mount` (systemd mount units) and `crio-conmon-*` (CRI-O's monitor) are skipped;
 * - systemd pods: a container is `<runtime>-<64hex>.scope` (`cri-containerd-`, `crio-`, `docker-`);
 *   a `crio-<id>` directory without `.scope` is CRI-O's empty sandbox cgroup, kept only so
 *   cAdvisor can register the pod, and is skipped (its processes, if any, still count in the
 *   pod-level usage, which is hierarchical);
 * - cgroupfs pods: a container is `<64hex>` (containerd, docker) or `crio-<64hex>`.
 * The id is the 64-hex part after the last `-` (`.scope` stripped); anything else is skipped.
 */
export function classifyPodChild(name: string, driver: CgroupDriver): PodChild {
  if (name.endsWith('.mount')) return { kind: 'skip', reason: 'mount' };
  if (name.startsWith('crio-conmon-')) return { kind: 'skip', reason: 'conmon' };
  const isScope = name.endsWith('.scope');
  const stem = isScope ? name.slice(0, -'.scope'.length) : name;
  const id = stem.slice(stem.lastIndexOf('-') + 1);
  if (!CONTAINER_ID.test(id)) return { kind: 'skip', reason: 'unrecognised' };
  if (driver === 'systemd' && !isScope && stem.startsWith('crio-')) return { kind: 'skip', reason: 'sandbox' };
  return { kind: 'container', id };
}
