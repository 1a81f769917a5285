/**
 * Every schema change of the aggregator's SQLite file, in order. A migration never changes once
 * released: add a new one. Each table family owns a version range and its own file:
 *   1-99 core (coreMigrations.ts) · 100-199 local driver · 200-299 autoscaler · 300-399 patch ·
 *   400-499 security. Order between families does not matter; within one it does.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

import { CORE_MIGRATIONS } from './coreMigrations.js';
import { LOCAL_DRIVER_MIGRATIONS } from './localDriverMigrations.js';
import { AUTOSCALER_MIGRATIONS } from './autoscalerMigrations.js';
import { PATCH_MIGRATIONS } from './patchMigrations.js';

export const MIGRATIONS: readonly Migration[] = [
  ...CORE_MIGRATIONS,
  ...LOCAL_DRIVER_MIGRATIONS,
  ...AUTOSCALER_MIGRATIONS,
  ...PATCH_MIGRATIONS,
];
