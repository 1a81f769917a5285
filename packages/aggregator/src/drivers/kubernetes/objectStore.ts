import type { ListWatchHandler } from './listWatcher.js';

/** `namespace/name` (cluster-scoped objects: just the name). */
export function objectKey(obj: unknown): string {
  const meta = (obj as { metadata?: { namespace?: unknown; name?: unknown } } | undefined)?.metadata;
  const name = typeof meta?.name === 'string' ? meta.name : '';
  return typeof meta?.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/${name}` : name;
}

/**
 * The objects of one kind by `namespace/name`, each converted once when it arrives (not on every
 * read), fed by a ListWatcher. `onChange` runs after every list and every event.
 */
export class ObjectStore<T> implements ListWatchHandler {
  private readonly items = new Map<string, T>();

  /**
   * @param keepExisting when it returns true for a MODIFIED event, the cached item is kept (used to
   *   keep a newer item written from a response over an older event still in the stream).
   */
  constructor(
    private readonly convert: (obj: unknown) => T,
    private readonly onChange: () => void,
    private readonly keepExisting?: (existing: T, incoming: T) => boolean,
  ) {}

  replace(objs: readonly unknown[]): void {
    this.items.clear();
    for (const o of objs) this.items.set(objectKey(o), this.convert(o));
    this.onChange();
  }

  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: unknown): void {
    const key = objectKey(obj);
    if (type === 'DELETED') {
      this.items.delete(key);
    } else {
      const next = this.convert(obj);
      const existing = this.items.get(key);
      if (type === 'MODIFIED' && existing !== undefined && this.keepExisting?.(existing, next)) return;
      this.items.set(key, next);
    }
    this.onChange();
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** Replaces one item outside the watch (e.g. from a write's response); notifies. */
  set(key: string, value: T): void {
    this.items.set(key, value);
    this.onChange();
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  get size(): number {
    return this.items.size;
  }
}
