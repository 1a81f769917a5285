import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentArgv, defaultCliBin, SpawnAgentLauncher } from '../../../src/drivers/local/agentLauncher.js';
import { waitFor } from './realHelpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SpawnAgentLauncher', () => {
  it('resolves the CLI from the package, not the cwd', () => {
    expect(defaultCliBin()).toMatch(/packages\/cli\/bin\/hms-sys\.js$/);
    expect(existsSync(defaultCliBin())).toBe(true);
  });

  it('starts `hms-sys agent` with the agreed flags and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hms-sys-agent-'));
    dirs.push(dir);
    const out = join(dir, 'argv.json');
    const fake = join(dir, 'fake-cli.mjs');
    // Stand-in for packages/cli/bin/hms-sys.js: records its argv, runs until SIGTERM.
    writeFileSync(fake, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));\nprocess.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\n`);
    const launcher = new SpawnAgentLauncher({ aggregatorUrl: 'ws://127.0.0.1:9400/v1/agents/stream', tokenFile: join(dir, 'token'), cliBin: fake, stopTimeoutMs: 3000 });
    const spec = {
      node: 'node-2',
      hostRoot: join(dir, 'host'),
      stateDir: join(dir, 'state'),
      workloadParent: 'hms-sys/node-2',
      cgroupRoot: '/sys/fs/cgroup',
      logFile: join(dir, 'agent.log'),
      rebootRequestFile: join(dir, 'reboot-requested'),
      kernelPatchRequestFile: join(dir, 'kernel-patch-requested'),
      processWorkloadsFile: join(dir, 'process-workloads.json'),
    };
    const h = launcher.start(spec);
    expect(h.pid).toBeGreaterThan(0);
    const argv = await waitFor('the agent argv', () => existsSync(out) && (JSON.parse(readFileSync(out, 'utf8')) as string[]));
    expect(argv).toEqual(agentArgv({ aggregatorUrl: 'ws://127.0.0.1:9400/v1/agents/stream', tokenFile: join(dir, 'token'), cliBin: fake }, spec).slice(1));
    expect(argv).toEqual([
      'agent', '--node', 'node-2', '--aggregator', 'ws://127.0.0.1:9400/v1/agents/stream', '--host-root', join(dir, 'host'),
      '--cgroup-root', '/sys/fs/cgroup', '--state-dir', join(dir, 'state'), '--workload-parent', 'hms-sys/node-2',
      '--token-file', join(dir, 'token'), '--interval', '1s', '--process-workloads', spec.processWorkloadsFile,
    ]);
    await h.stop();
    expect(await h.exited).toEqual({ code: 0, signal: null });
    const h2 = launcher.start(spec);
    h2.kill();
    expect(await h2.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
