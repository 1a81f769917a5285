import type { HostPaths } from '../host/hostPaths.js';
import type { HostReader } from '../host/hostReader.js';
import { parseMeminfo } from './parseMeminfo.js';
import { parseProcStat } from './parseProcStat.js';
import { problemFromError, type ReadProblem } from './readProblems.js';

/** Node-wide usage; maps 1:1 onto protobuf `NodeUsage`. Cumulative CPU in µs (all CPUs summed), memory in bytes. */
export interface NodeUsage {
  readonly cpuBusyUsec: number;
  readonly cpuTotalUsec: number;
  readonly cpuCores: number;
  readonly memoryTotalBytes: number;
  readonly memoryAvailableBytes: number;
}

export interface NodeUsageResult {
  /** undefined when /proc/stat could not be used; memory fields are 0 when /proc/meminfo could not. */
  readonly usage: NodeUsage | undefined;
  readonly readErrors: number;
  /** Paths relative to the host root. */
  readonly errors: readonly ReadProblem[];
}

/** Reads /proc/stat and /proc/meminfo under the host root. Never throws. */
export function collectNodeUsage(paths: HostPaths, reader: HostReader): NodeUsageResult {
  const errors: ReadProblem[] = [];
  const read = (rel: string): string | undefined => {
    try {
      return reader.readFile(paths.host(rel));
    } catch (err) {
      errors.push(problemFromError(rel, err));
      return undefined;
    }
  };

  const statText = read('proc/stat');
  const stat = statText === undefined ? undefined : parseProcStat(statText);
  if (statText !== undefined && stat === undefined) errors.push({ path: 'proc/stat', reason: 'malformed', detail: 'no aggregate cpu line' });
  const memText = read('proc/meminfo');
  const mem = memText === undefined ? undefined : parseMeminfo(memText);
  if (memText !== undefined && mem === undefined) errors.push({ path: 'proc/meminfo', reason: 'malformed', detail: 'no MemTotal' });

  const usage =
    stat === undefined
      ? undefined
      : {
          cpuBusyUsec: stat.cpuBusyUsec,
          cpuTotalUsec: stat.cpuTotalUsec,
          cpuCores: stat.cores,
          memoryTotalBytes: mem?.memTotalBytes ?? 0,
          memoryAvailableBytes: mem?.memAvailableBytes ?? 0,
        };
  return { usage, readErrors: errors.length, errors };
}
