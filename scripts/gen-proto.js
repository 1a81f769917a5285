#!/usr/bin/env node
// Regenerates the static protobufjs code in packages/protocol/gen from proto/hms_sys.proto.
// `node scripts/gen-proto.js OUTDIR` writes elsewhere (used by check-proto.js).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'packages/protocol/gen'));
mkdirSync(outDir, { recursive: true }); // pbjs fails with ENOENT on a missing directory
const pbjs = join(root, 'node_modules/protobufjs-cli/bin/pbjs');
execFileSync(process.execPath, [
  pbjs,
  '-t', 'static-module', '-w', 'es6', '--es6',
  // Every 64-bit field is kept below 2^53 by contract; the runtime is configured without Long.
  '--force-number',
  '--dts',
  // verify/convert/delimited/typeurl helpers are unused: smaller code, smaller attack surface.
  '--no-verify', '--no-convert', '--no-delimited', '--no-typeurl',
  '-o', join(outDir, 'hms_sys.js'),
  join(root, 'proto/hms_sys.proto'),
], { stdio: 'inherit', cwd: root });
