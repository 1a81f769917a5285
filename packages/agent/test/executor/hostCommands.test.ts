import { describe, expect, it } from 'vitest';
import { ShellCommandRunner, TailBuffer, TIMEOUT_EXIT_CODE } from '../../src/executor/commandRunner.js';
import { DEFAULT_REBOOT_COMMAND, detectPackageManager, resolveHostCommands } from '../../src/executor/hostCommands.js';
import { checkRebootRequired } from '../../src/executor/rebootRequired.js';

const fakeFs = (paths: string[]) => (p: string): boolean => paths.includes(p);

describe('host commands', () => {
  it('detects the package manager under the host root and builds nsenter commands per kind', () => {
    expect(detectPackageManager('/host', fakeFs(['/host/usr/bin/apt-get']))).toBe('apt');
    expect(detectPackageManager('/host', fakeFs(['/host/usr/bin/dnf']))).toBe('dnf');
    expect(detectPackageManager('/host', fakeFs(['/host/usr/bin/zypper']))).toBe('zypper');
    expect(detectPackageManager('/host', fakeFs([]))).toBeUndefined();
    const apt = resolveHostCommands({ hostRoot: '/host' }, fakeFs(['/host/usr/bin/apt-get']));
    expect(apt.patchCommand('kernel')).toBe(`nsenter -t 1 -m -u -i -n -p -- sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -y dist-upgrade'`);
    expect(apt.patchCommand('packages')).toContain('apt-get -y upgrade');
    expect(apt.rebootCommand).toBe(DEFAULT_REBOOT_COMMAND);
    expect(apt.rebootRequired).toEqual({ kind: 'files', files: ['/host/var/run/reboot-required', '/host/var/run/reboot-needed'] });
    const dnf = resolveHostCommands({ hostRoot: '/host' }, fakeFs(['/host/usr/bin/dnf']));
    expect(dnf.rebootRequired).toEqual({ kind: 'command', command: 'nsenter -t 1 -m -u -i -n -p -- needs-restarting -r', requiredExitCode: 1 });
    const none = resolveHostCommands({ hostRoot: '/host' }, fakeFs([]));
    expect(none.patchCommand('kernel')).toBeUndefined();
    const flags = resolveHostCommands({ hostRoot: '/h', patchCommand: 'x', rebootCommand: 'y', rebootRequiredFile: '/run/need' }, fakeFs(['/h/usr/bin/apt-get']));
    expect([flags.patchCommand('os'), flags.rebootCommand, flags.rebootRequired, flags.packageManager]).toEqual(['x', 'y', { kind: 'files', files: ['/h/run/need'] }, undefined]);
  });

  it('a reboot-required command answers only with its two meaningful exit codes', async () => {
    const runner = new ShellCommandRunner();
    expect(await checkRebootRequired({ kind: 'command', command: 'exit 0', requiredExitCode: 0 }, runner)).toMatchObject({ ok: true, required: true });
    expect(await checkRebootRequired({ kind: 'command', command: 'exit 1', requiredExitCode: 0 }, runner)).toMatchObject({ ok: true, required: false });
    expect(await checkRebootRequired({ kind: 'command', command: 'exit 1', requiredExitCode: 1 }, runner)).toMatchObject({ ok: true, required: true });
    expect(await checkRebootRequired({ kind: 'command', command: 'no-such-binary-hms', requiredExitCode: 0 }, runner)).toMatchObject({ ok: false });
  });
});

describe('ShellCommandRunner', () => {
  it('captures exit code and output, kills the process group on timeout, never throws', async () => {
    const r = new ShellCommandRunner();
    expect(await r.run(`sh -c 'echo out; echo err >&2; exit 3'`, { timeoutMs: 5000 })).toMatchObject({ exitCode: 3, outputTail: expect.stringMatching(/out\n.*err\n|err\n.*out\n/s) as unknown, timedOut: false });
    const t0 = Date.now();
    const slow = await r.run('sleep 30 & sleep 30; echo never', { timeoutMs: 300 });
    expect(slow).toMatchObject({ exitCode: TIMEOUT_EXIT_CODE, timedOut: true });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await r.run('definitely-not-a-command-hms', { timeoutMs: 5000 })).exitCode).toBe(127);
    expect((await new ShellCommandRunner('/nonexistent/sh').run('true', { timeoutMs: 1000 })).exitCode).toBe(127);
  });

  it('keeps only the last bytes', () => {
    const t = new TailBuffer(10);
    t.push(Buffer.from('0123456789'));
    t.push(Buffer.from('abcdef'));
    expect(t.text()).toBe('6789abcdef');
  });
});
