import type { Migration } from './migrations.js';

/** Versions 300-399: patch runs and per-node state. */
export const PATCH_MIGRATIONS: readonly Migration[] = [];
