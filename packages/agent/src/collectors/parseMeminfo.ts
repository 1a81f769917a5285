/** Memory of the node from /proc/meminfo, bytes. */
export interface Meminfo {
  readonly memTotalBytes: number;
  /** MemAvailable; on kernels before 3.14 (no MemAvailable) MemFree + Buffers + Cached. */
  readonly memAvailableBytes: number;
}

/** Parses /proc/meminfo (`Key:   N kB` lines). Returns undefined without a MemTotal. */
export function parseMeminfo(text: string): Meminfo | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]));
  }
  const total = kb.get('MemTotal');
  if (total === undefined) return undefined;
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { memTotalBytes: total * 1024, memAvailableBytes: available * 1024 };
}
