/** The patch/reboot executor: the pure step machine and its runner (I/O). */
export * from './executorMachine.js';
export * from './commandRunner.js';
export * from './commandVerifier.js';
export * from './createExecutor.js';
export * from './executorRunner.js';
export * from './executorStore.js';
export * from './executorWire.js';
export * from './hostCommands.js';
export * from './rebootRequired.js';
