#!/usr/bin/env node
// The hms-sys command. Compiled code lives in ../dist (built by `npm install` / `npm run build`).
// `hms-sys agent` runs on every node: it loads only the agent's code (see src/agentMain.ts).
const argv = process.argv.slice(2);
const run = argv[0] === 'agent'
  ? import('../dist/agentMain.js').then((m) => m.agentMain(argv))
  : import('../dist/main.js').then((m) => m.main(argv));

run.then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`hms-sys: internal error: ${err?.message ?? err}`); process.exitCode = 1; },
);
