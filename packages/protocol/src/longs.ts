/**
 * Side-effect module, imported before the generated code: decode 64-bit fields as plain
 * numbers instead of Long objects. Safe because the contract keeps every 64-bit value below
 * 2^53 (SPEC §4); values above it are rejected by the ingest validator, not silently rounded
 * in rate math.
 */
import protobuf from 'protobufjs/minimal.js';

protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();
