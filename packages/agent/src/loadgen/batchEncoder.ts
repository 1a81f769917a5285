/**
 * A fast encoder of `AgentMessage{metrics: MetricsBatch}` for the load generator
 * (`hms-sys bench agents`): the strings of a simulated node (pod uids, container ids, cgroup
 * paths) are encoded once, and each batch only writes the counters around them.
 *
 * Why not protobufjs: its encoder spends ~450 µs on a 110-pod × 3-container batch on the
 * project's VM (every 64-bit field goes through a LongBits object), so one core could feed only
 * ~2 000 simulated nodes — less than the aggregator under test can take. This writes the same
 * bytes (same fields, same order, proto3 defaults left out as the generated encoder does; checked
 * byte for byte against it in the tests) in a few tens of µs. Pods are never `partial`.
 *
 * Every number must be a non-negative integer below 2^53 (SPEC §4); that is the caller's job.
 */

/** Static identity of one simulated pod. */
export interface TemplatePod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly qosClass: string;
  readonly cgroupPath: string;
  readonly containers: readonly { readonly id: string; readonly name: string }[];
}

/** Per-container counters, in this order, `COUNTERS_PER_CONTAINER` numbers per container. */
export const COUNTERS_PER_CONTAINER = 6;
/** Index of each counter within a container's slot. */
export const Counter = { usage: 0, throttled: 1, nrThrottled: 2, nrPeriods: 3, user: 4, system: 5 } as const;

/** The varying part of one batch. */
export interface BatchValues {
  readonly seq: number;
  readonly collectedAtMs: number;
  readonly monotonicUsec: number;
  readonly node: {
    readonly cpuBusyUsec: number;
    readonly cpuTotalUsec: number;
    readonly cpuCores: number;
    readonly memoryTotalBytes: number;
    readonly memoryAvailableBytes: number;
  };
  /** Pod cgroup usage per pod, µs. */
  readonly podUsageUsec: ArrayLike<number>;
  /** Container counters, COUNTERS_PER_CONTAINER per container, containers in template order. */
  readonly containerCounters: ArrayLike<number>;
  readonly stats: { readonly cgroupsScanned: number; readonly readErrors: number; readonly durationUsec: number; readonly droppedBatches: number };
}

const enc = new TextEncoder();

/** Bytes of a length-delimited string field (tag, length, UTF-8); none for '' (proto3 default). */
function stringField(tag: number, s: string): Uint8Array {
  if (s === '') return new Uint8Array(0);
  const body = enc.encode(s);
  const out = new Uint8Array(1 + varintSize(body.length) + body.length);
  out[0] = tag;
  const p = writeVarint(out, 1, body.length);
  out.set(body, p);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** Size of `v` as a varint (v a non-negative integer below 2^53). */
export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v < 0x800000000) return 5;
  if (v < 0x40000000000) return 6;
  if (v < 0x2000000000000) return 7;
  return 8; // up to 2^56, beyond any value below 2^53
}

/** Size of a varint field holding `v`: 0 for 0, which proto3 (and protobufjs) leaves out. */
function numFieldSize(v: number): number {
  return v === 0 ? 0 : 1 + varintSize(v);
}

/** Writes a varint field unless `v` is 0; returns the position after it. */
function writeNumField(buf: Uint8Array, pos: number, tag: number, v: number): number {
  if (v === 0) return pos;
  buf[pos++] = tag;
  return writeVarint(buf, pos, v);
}

/** Writes `v` as a varint at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80000000) {
    buf[pos++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  while (v >= 128) {
    buf[pos++] = (v & 127) | 128;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

// Tags: (field number << 3) | wire type (0 varint, 2 length-delimited).
const T_AGENT_METRICS = 0x12;
const T_BATCH = { seq: 0x08, collected: 0x10, nodeUsage: 0x1a, pods: 0x22, mono: 0x28, bootId: 0x32, stats: 0x3a } as const;
const T_POD = { uid: 0x0a, namespace: 0x12, name: 0x1a, qos: 0x22, containers: 0x2a, usage: 0x30, cgroupPath: 0x3a } as const;
const CONTAINER_COUNTER_TAGS = [0x18, 0x20, 0x28, 0x30, 0x38, 0x40] as const;

/**
 * Encodes batches of one simulated node. All its strings live in one packed array (a fleet of
 * thousands of simulated nodes must not mean millions of small buffers). Not for concurrent
 * use (it reuses its size tables).
 */
export class BatchEncoder {
  /** uid..qos_class fields of each pod, then its containers' id+name fields, then its cgroup_path field. */
  private readonly statics: Uint8Array;
  /** Per pod: [headStart, headEnd, tailStart, tailEnd]. */
  private readonly podSpans: Int32Array;
  /** Per container: [start, end]. */
  private readonly containerSpans: Int32Array;
  /** Containers of each pod. */
  private readonly podContainers: Int32Array;
  private readonly bootIdField: Uint8Array;
  private readonly containerSizes: Int32Array;
  private readonly podSizes: Int32Array;
  readonly containerCount: number;

  constructor(pods: readonly TemplatePod[], bootId: string) {
    const parts: Uint8Array[] = [];
    let at = 0;
    const add = (bytes: Uint8Array): [number, number] => {
      parts.push(bytes);
      at += bytes.length;
      return [at - bytes.length, at];
    };
    this.containerCount = pods.reduce((n, p) => n + p.containers.length, 0);
    this.podSpans = new Int32Array(pods.length * 4);
    this.containerSpans = new Int32Array(this.containerCount * 2);
    this.podContainers = new Int32Array(pods.length);
    let ci = 0;
    pods.forEach((p, i) => {
      const head = add(concat([stringField(T_POD.uid, p.uid), stringField(T_POD.namespace, p.namespace), stringField(T_POD.name, p.name), stringField(T_POD.qos, p.qosClass)]));
      for (const c of p.containers) {
        const span = add(concat([stringField(0x0a, c.id), stringField(0x12, c.name)]));
        this.containerSpans.set(span, 2 * ci++);
      }
      const tail = add(stringField(T_POD.cgroupPath, p.cgroupPath));
      this.podSpans.set([...head, ...tail], 4 * i);
      this.podContainers[i] = p.containers.length;
    });
    this.statics = concat(parts);
    this.bootIdField = stringField(T_BATCH.bootId, bootId);
    this.containerSizes = new Int32Array(this.containerCount);
    this.podSizes = new Int32Array(pods.length);
  }

  private span(spans: Int32Array, i: number): number {
    return (spans[i + 1] as number) - (spans[i] as number);
  }

  /** Copies a span of the statics (short: a loop beats a subarray + set per span). */
  private copy(buf: Uint8Array, pos: number, spans: Int32Array, i: number): number {
    const statics = this.statics;
    const end = spans[i + 1] as number;
    for (let j = spans[i] as number; j < end; j++) buf[pos++] = statics[j] as number;
    return pos;
  }

  /** One `AgentMessage{metrics}` frame: the bytes protobufjs would write for the same values. */
  encode(v: BatchValues): Uint8Array {
    const counters = v.containerCounters;
    // Pass 1: sizes of every nested message.
    let ci = 0;
    let podsBytes = 0;
    const podCount = this.podSizes.length;
    for (let p = 0; p < podCount; p++) {
      let size = this.span(this.podSpans, 4 * p) + numFieldSize(v.podUsageUsec[p] as number) + this.span(this.podSpans, 4 * p + 2);
      for (let c = this.podContainers[p] as number; c > 0; c--) {
        let cs = this.span(this.containerSpans, 2 * ci);
        const base = ci * COUNTERS_PER_CONTAINER;
        for (let k = 0; k < COUNTERS_PER_CONTAINER; k++) cs += numFieldSize(counters[base + k] as number);
        this.containerSizes[ci++] = cs;
        size += 1 + varintSize(cs) + cs;
      }
      this.podSizes[p] = size;
      podsBytes += 1 + varintSize(size) + size;
    }
    const n = v.node;
    const nodeSize = numFieldSize(n.cpuBusyUsec) + numFieldSize(n.cpuTotalUsec) + numFieldSize(n.cpuCores) + numFieldSize(n.memoryTotalBytes) + numFieldSize(n.memoryAvailableBytes);
    const s = v.stats;
    const statsSize = numFieldSize(s.cgroupsScanned) + numFieldSize(s.readErrors) + numFieldSize(s.durationUsec) + numFieldSize(s.droppedBatches);
    const batchSize = numFieldSize(v.seq) + numFieldSize(v.collectedAtMs) + 1 + varintSize(nodeSize) + nodeSize + podsBytes
      + numFieldSize(v.monotonicUsec) + this.bootIdField.length + 1 + varintSize(statsSize) + statsSize;

    // Pass 2: write, in the generated encoder's field order.
    const buf = new Uint8Array(1 + varintSize(batchSize) + batchSize);
    buf[0] = T_AGENT_METRICS;
    let pos = writeVarint(buf, 1, batchSize);
    pos = writeNumField(buf, pos, T_BATCH.seq, v.seq);
    pos = writeNumField(buf, pos, T_BATCH.collected, v.collectedAtMs);
    buf[pos++] = T_BATCH.nodeUsage;
    pos = writeVarint(buf, pos, nodeSize);
    pos = writeNumField(buf, pos, 0x08, n.cpuBusyUsec);
    pos = writeNumField(buf, pos, 0x10, n.cpuTotalUsec);
    pos = writeNumField(buf, pos, 0x18, n.cpuCores);
    pos = writeNumField(buf, pos, 0x20, n.memoryTotalBytes);
    pos = writeNumField(buf, pos, 0x28, n.memoryAvailableBytes);
    ci = 0;
    for (let p = 0; p < podCount; p++) {
      buf[pos++] = T_BATCH.pods;
      pos = writeVarint(buf, pos, this.podSizes[p] as number);
      pos = this.copy(buf, pos, this.podSpans, 4 * p);
      for (let c = this.podContainers[p] as number; c > 0; c--) {
        buf[pos++] = T_POD.containers;
        pos = writeVarint(buf, pos, this.containerSizes[ci] as number);
        pos = this.copy(buf, pos, this.containerSpans, 2 * ci);
        const base = ci * COUNTERS_PER_CONTAINER;
        for (let k = 0; k < COUNTERS_PER_CONTAINER; k++) pos = writeNumField(buf, pos, CONTAINER_COUNTER_TAGS[k] as number, counters[base + k] as number);
        ci++;
      }
      pos = writeNumField(buf, pos, T_POD.usage, v.podUsageUsec[p] as number);
      pos = this.copy(buf, pos, this.podSpans, 4 * p + 2);
      // partial = false: the proto3 default, not written.
    }
    pos = writeNumField(buf, pos, T_BATCH.mono, v.monotonicUsec);
    buf.set(this.bootIdField, pos);
    pos += this.bootIdField.length;
    buf[pos++] = T_BATCH.stats;
    pos = writeVarint(buf, pos, statsSize);
    pos = writeNumField(buf, pos, 0x08, s.cgroupsScanned);
    pos = writeNumField(buf, pos, 0x10, s.readErrors);
    pos = writeNumField(buf, pos, 0x18, s.durationUsec);
    pos = writeNumField(buf, pos, 0x20, s.droppedBatches);
    if (pos !== buf.length) throw new Error(`batch encoder wrote ${pos} of ${buf.length} bytes`);
    return buf;
  }
}
