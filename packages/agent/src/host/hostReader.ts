/** One directory entry; node's `fs.Dirent` satisfies this shape, so the real reader copies nothing. */
export interface HostDirEntry {
  readonly name: string;
  isDirectory(): boolean;
}

/**
 * The file-reading port every collector reads the host through (GUIDE §7). Synchronous on
 * purpose: see `fsHostReader.ts` for the measurement behind that choice.
 *
 * Failures throw the node-style error (an `Error` with `code` ENOENT, EACCES, ...) so callers can
 * tell "the cgroup went away" from "we may not read it"; callers in the collection path catch
 * and count them, they never let them escape a cycle.
 */
export interface HostReader {
  /** The whole file as UTF-8 text. */
  readFile(path: string): string;
  /** The entries of a directory, in no particular order. */
  readdir(path: string): readonly HostDirEntry[];
  /** True if `path` exists (symlinks followed). Never throws. */
  exists(path: string): boolean;
  /**
   * Optional: a cheap token (one stat) that changes whenever the set of subdirectories of `path`
   * changes by count, and usually on any change. Lets the collector skip re-listing unchanged
   * cgroup directories. `undefined` (or no method) = cannot tell; the caller then always lists.
   * Throws like readFile when `path` is gone.
   */
  dirStamp?(path: string): string | undefined;
  /** Optional: releases what the reader keeps between reads (open files). Reads still work afterwards. */
  close?(): void;
}
