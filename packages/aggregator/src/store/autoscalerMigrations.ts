import type { Migration } from './migrations.js';

/** Versions 200-299: autoscaler rules, decisions, history. */
export const AUTOSCALER_MIGRATIONS: readonly Migration[] = [];
