/** @hms-sys/common — the cross-cutting kit every HMS-SYS program shares. */
export * from './errors.js';
export * from './duration.js';
export * from './clock.js';
export * from './random.js';
export * from './fnv1a32.js';
export * from './logger.js';
export * from './options.js';
export * from './dirLock.js';
