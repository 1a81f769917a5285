#!/usr/bin/env node
// vote-api: the demo workload (see packages/cli/src/demo/voteApiWorker.ts).
import { runVoteApiWorker } from '../dist/demo/voteApiWorker.js';

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
runVoteApiWorker();
