import { copyFileSync, statSync, truncateSync } from 'node:fs';

/** Default bound of one container log file, bytes (the rotated `.1` copy holds as much again). */
export const DEFAULT_LOG_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Keeps a log file that a running process appends to (O_APPEND) under `maxBytes`: when it is
 * larger, copies it to `<file>.1` (replacing the previous copy) and truncates it to 0 — the
 * writer's next append lands at the new end. Lines written between the copy and the truncate
 * are lost; the bound matters more. Returns true when it rotated.
 */
export function boundLogFile(file: string, maxBytes: number = DEFAULT_LOG_MAX_BYTES): boolean {
  try {
    if (statSync(file).size <= maxBytes) return false;
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
    return true;
  } catch {
    return false; // gone or unreadable: nothing to bound
  }
}
