import { randomUUID } from 'node:crypto';

/** A Kubernetes object as JSON. */
export type KObj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number; [k: string]: unknown };
  spec?: any;
  status?: any;
};

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A live watch stream. */
export interface FakeWatcher {
  readonly plural: string;
  readonly namespace: string | undefined;
  readonly bookmarks: boolean;
  send(type: EventType | 'BOOKMARK' | 'ERROR', object: unknown): void;
  /** Ends the stream cleanly. */
  end(): void;
  /** Drops the connection without a clean end. */
  drop(): void;
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * etcd-like storage of the fake API server: one resourceVersion counter for everything, an event
 * log per collection (what a watch from version N replays), and compaction (a watch or list from
 * before the compacted version gets 410 Gone).
 */
export class FakeStore {
  private rv = 1000;
  private readonly objects = new Map<string, Map<string, KObj>>();
  private readonly logs = new Map<string, { rv: number; type: EventType; object: KObj }[]>();
  private readonly compacted = new Map<string, number>();
  readonly watchers = new Set<FakeWatcher>();
  /**
   * In-process observers of every write (the fake's controllers, test probes): unlike watchers
   * they are not HTTP streams, so dropWatches()/compact() leave them alone and watchCount()
   * does not count them. Called synchronously after the watchers, with a copy of the object.
   */
  readonly listeners = new Set<(plural: string, type: EventType, object: KObj) => void>();

  get resourceVersion(): number {
    return this.rv;
  }

  list(plural: string, namespace?: string): KObj[] {
    const all = [...(this.objects.get(plural)?.values() ?? [])].filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    return all.sort((a, b) => key(a).localeCompare(key(b))).map(clone);
  }

  get(plural: string, namespace: string | undefined, name: string): KObj | undefined {
    const o = this.objects.get(plural)?.get(keyOf(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Stores a new object (uid, resourceVersion, generation, creationTimestamp stamped); emits ADDED. */
  create(plural: string, obj: KObj): KObj {
    const o = clone(obj);
    o.metadata.uid ??= randomUUID();
    o.metadata.generation = 1;
    o.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return this.write(plural, o, 'ADDED');
  }

  /** Replaces a stored object; emits MODIFIED. */
  update(plural: string, obj: KObj): KObj {
    return this.write(plural, clone(obj), 'MODIFIED');
  }

  delete(plural: string, namespace: string | undefined, name: string): KObj | undefined {
    const map = this.objects.get(plural);
    const o = map?.get(keyOf(namespace, name));
    if (!map || !o) return undefined;
    map.delete(keyOf(namespace, name));
    o.metadata.resourceVersion = String(++this.rv);
    this.emit(plural, 'DELETED', o);
    return clone(o);
  }

  /** Events of a collection after version `from`, or 'expired' when they were compacted away. */
  eventsAfter(plural: string, from: number): { rv: number; type: EventType; object: KObj }[] | 'expired' {
    if (from < (this.compacted.get(plural) ?? 0)) return 'expired';
    return (this.logs.get(plural) ?? []).filter((e) => e.rv > from).map((e) => ({ ...e, object: clone(e.object) }));
  }

  /** Forgets the event history of a collection: watches from any earlier version get 410 Gone. */
  compact(plural: string): void {
    this.compacted.set(plural, this.rv);
    this.logs.set(plural, []);
  }

  private write(plural: string, o: KObj, type: EventType): KObj {
    let map = this.objects.get(plural);
    if (!map) this.objects.set(plural, (map = new Map()));
    o.metadata.resourceVersion = String(++this.rv);
    map.set(key(o), o);
    this.emit(plural, type, o);
    return clone(o);
  }

  private emit(plural: string, type: EventType, o: KObj): void {
    let log = this.logs.get(plural);
    if (!log) this.logs.set(plural, (log = []));
    log.push({ rv: this.rv, type, object: clone(o) });
    for (const w of this.watchers) {
      if (w.plural === plural && (w.namespace === undefined || w.namespace === o.metadata.namespace)) w.send(type, clone(o));
    }
    for (const l of this.listeners) l(plural, type, clone(o));
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function key(o: KObj): string {
  return keyOf(o.metadata.namespace, o.metadata.name);
}
