#!/usr/bin/env node
// The hms-sys command. Compiled code lives in ../dist (built by `npm install` / `npm run build`).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`hms-sys: internal error: ${err?.message ?? err}`); process.exitCode = 1; },
);
