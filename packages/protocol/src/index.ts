/**
 * @hms-sys/protocol — the wire contract (proto/hms_sys.proto) as static protobufjs code.
 * Import this package, never the generated file directly: it configures 64-bit decoding first.
 */
export * from './codec.js';
export * from './commandSignature.js';
