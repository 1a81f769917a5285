/**
 * `hms-sys agent` starts from agentMain (only the agent's modules loaded, for its memory on every
 * node). Users must not notice: same help, same flag errors and exit codes as through the full CLI.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { agentMain } from '../src/agentMain.js';
import { main } from '../src/main.js';

async function capture(run: typeof main, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void) => new Writable({ write(c: Buffer, _e, cb) { f(c.toString()); cb(); } });
  const code = await run(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

describe('hms-sys agent through its own entry point', () => {
  it.each([
    [['agent', '--help']],
    [['agent', '--no-such-flag']],
    [['agent', '--interval', 'soon']],
    [['agent', 'extra-word']],
  ])('%j behaves exactly as through the full CLI', async (argv) => {
    const full = await capture(main, argv);
    const own = await capture(agentMain, argv);
    expect(own).toEqual(full);
    expect(full.stdout + full.stderr).not.toBe('');
  });
});
