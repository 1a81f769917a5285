import { readdirSync, readFileSync } from 'node:fs';

/**
 * Fields of /proc/<pid>/stat the driver needs: process start time (to tell a pid from a recycled
 * one) and CPU time. Parsing is pure; the comm field may contain spaces and ')' so fields are
 * counted from the LAST ')'.
 */
export interface ProcStat {
  readonly pid: number;
  /** Field 3. */
  readonly state: string;
  /** Field 5: process group. */
  readonly pgrp: number;
  /** Fields 14+15: user + system CPU time, clock ticks (USER_HZ, 100 on Linux). */
  readonly cpuTicks: number;
  /** Field 22: start time after boot, clock ticks. */
  readonly startTicks: number;
}

export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  const open = text.indexOf('(');
  if (close < 0 || open < 0) return undefined;
  const pid = Number.parseInt(text.slice(0, open), 10);
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state)
  const field = (n: number): number => Number(rest[n - 3]);
  const stat = { pid, state: rest[0] ?? '?', pgrp: field(5), cpuTicks: field(14) + field(15), startTicks: field(22) };
  return Number.isFinite(stat.startTicks) && Number.isFinite(pid) ? stat : undefined;
}

/** Reads /proc/<pid>/stat; undefined when the process is gone. */
export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and is the same process that started at `startTicks` (not a zombie). */
export function sameProcessAlive(pid: number, startTicks: number | undefined): boolean {
  const st = readProcStat(pid);
  if (!st || st.state === 'Z') return false;
  return startTicks === undefined || st.startTicks === startTicks;
}

/** Live (non-zombie) members of process group `pgid`, found by scanning /proc. */
export function processGroupMembers(pgid: number, procRoot = '/proc'): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const st = readProcStat(Number(name), procRoot);
    if (st && st.pgrp === pgid && st.state !== 'Z') out.push(st.pid);
  }
  return out;
}
