#!/usr/bin/env node
// Fails when packages/protocol/gen no longer matches what proto/hms_sys.proto generates,
// i.e. someone edited the .proto without `npm run gen:proto`, or edited generated code by hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'hms-proto-'));
try {
  execFileSync(process.execPath, [join(root, 'scripts/gen-proto.js'), tmp], { stdio: 'inherit' });
  const drifted = ['hms_sys.js', 'hms_sys.d.ts'].filter((f) => {
    const want = readFileSync(join(tmp, f), 'utf8');
    let have = '';
    try { have = readFileSync(join(root, 'packages/protocol/gen', f), 'utf8'); } catch { /* missing = drift */ }
    return want !== have;
  });
  if (drifted.length > 0) {
    console.error(`generated protocol code is out of date with proto/hms_sys.proto: ${drifted.join(', ')}\n` +
      'run `npm run gen:proto` and commit the result');
    process.exit(1);
  }
  console.log('proto: generated code matches proto/hms_sys.proto');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
