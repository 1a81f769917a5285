import { describe, expect, it, vi } from 'vitest';
import { isHmsError, type HmsError } from '@hms-sys/common';
import { collectNodeUsage } from '../../src/collectors/collectNodeUsage.js';
import { readNodeInfo } from '../../src/collectors/readNodeInfo.js';
import { createHostPaths, type HostPaths } from '../../src/host/hostPaths.js';
import { FakeHostReader } from './fakeHostReader.js';

const STAT = 'cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\ncpu1 50 0 25 400 25 0 0 0 0 0\nbtime 1700000000\n';
const MEMINFO = 'MemTotal: 2048 kB\nMemAvailable: 1024 kB\n';

function host(root: string): FakeHostReader {
  const r = root === '/' ? '' : root;
  return new FakeHostReader()
    .file(`${r}/proc/stat`, STAT)
    .file(`${r}/proc/meminfo`, MEMINFO)
    .file(`${r}/proc/sys/kernel/random/boot_id`, 'b00710d0-0000-4000-8000-000000000001\n')
    .file(`${r}/proc/sys/kernel/osrelease`, '6.1.0-18-amd64\n')
    .file(`${r}/etc/hostname`, 'worker-7\n');
}

const hostPaths = createHostPaths({ hostRoot: '/host' });
const info = (paths: HostPaths, reader: FakeHostReader, systemFacts?: () => Promise<{ architecture?: string }>) =>
  readNodeInfo({ paths, reader, cgroupVersion: 'v2', ...(systemFacts ? { systemFacts } : {}) });

describe('collectNodeUsage', () => {
  it('reads node CPU and memory under the host root', () => {
    expect(collectNodeUsage(hostPaths, host('/host'))).toEqual({
      usage: { cpuBusyUsec: 1_500_000, cpuTotalUsec: 10_000_000, cpuCores: 2, memoryTotalBytes: 2048 * 1024, memoryAvailableBytes: 1024 * 1024 },
      readErrors: 0,
      errors: [],
    });
  });

  it('still reports CPU when /proc/meminfo is unreadable, memory 0 and one read error', () => {
    const out = collectNodeUsage(hostPaths, host('/host').fail('/host/proc/meminfo', 'EACCES'));
    expect(out.usage).toMatchObject({ cpuBusyUsec: 1_500_000, memoryTotalBytes: 0 });
    expect(out.errors).toEqual([{ path: 'proc/meminfo', reason: 'unreadable', detail: 'EACCES' }]);
  });

  it('reports no usage, without throwing, when /proc/stat is missing or malformed', () => {
    expect(collectNodeUsage(hostPaths, host('/host').remove('/host/proc/stat')).usage).toBeUndefined();
    const garbled = collectNodeUsage(hostPaths, host('/host').file('/host/proc/stat', 'intr 1\n'));
    expect(garbled.usage).toBeUndefined();
    expect(garbled.errors).toEqual([{ path: 'proc/stat', reason: 'malformed', detail: 'no aggregate cpu line' }]);
  });
});

describe('readNodeInfo', () => {
  it('describes the node from host-root files, not from the agent container', async () => {
    const reader = host('/host')
      .file('/host/usr/lib/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
      .file('/host/proc/sys/kernel/arch', 'x86_64\n');
    const facts = vi.fn(async () => ({ architecture: 'should-not-be-used' }));
    expect(await info(hostPaths, reader, facts)).toEqual({
      bootId: 'b00710d0-0000-4000-8000-000000000001',
      kernelVersion: '6.1.0-18-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      cpuCores: 2,
      memoryBytes: 2048 * 1024,
      architecture: 'x64',
      cgroupVersion: 'v2',
      simulatedBoot: false,
      hostname: 'worker-7',
      bootTimeMs: 1_700_000_000_000,
    });
    expect(facts).not.toHaveBeenCalled();
  });

  it('prefers etc/os-release over usr/lib/os-release and proc hostname over etc/hostname', async () => {
    const reader = host('/host')
      .file('/host/etc/os-release', 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\n')
      .file('/host/usr/lib/os-release', 'PRETTY_NAME="other"\n')
      .file('/host/proc/sys/kernel/hostname', 'worker-7.internal\n');
    const got = await info(hostPaths, reader);
    expect(got.osImage).toBe('Ubuntu 22.04.4 LTS');
    expect(got.hostname).toBe('worker-7.internal');
  });

  it('leaves os image empty when the host has no os-release', async () => {
    expect((await info(hostPaths, host('/host'))).osImage).toBe('');
  });

  it('never consults systeminformation for a host root other than /', async () => {
    const facts = vi.fn(async () => ({ architecture: 'sparc' }));
    expect((await info(hostPaths, host('/host'), facts)).architecture).toBe(process.arch);
    expect(facts).not.toHaveBeenCalled();
  });

  it('asks the injected system facts for the architecture on / when the kernel has no arch file', async () => {
    const facts = vi.fn(async () => ({ architecture: 'arm64' }));
    expect((await info(createHostPaths(), host('/'), facts)).architecture).toBe('arm64');
    expect(facts).toHaveBeenCalledOnce();
    const broken = async (): Promise<never> => {
      throw new Error('lscpu missing');
    };
    expect((await info(createHostPaths(), host('/'), broken)).architecture).toBe(process.arch);
  });

  it('names every missing required file at once', async () => {
    const reader = host('/host').remove('/host/proc/sys/kernel/random/boot_id').file('/host/proc/meminfo', 'garbage\n');
    let caught: unknown;
    try {
      await info(hostPaths, reader);
    } catch (err) {
      caught = err;
    }
    expect(isHmsError(caught, 'HMS_HOST_READ')).toBe(true);
    expect((caught as HmsError).details?.['missing']).toEqual(['proc/sys/kernel/random/boot_id (ENOENT)', 'proc/meminfo (malformed)']);
    expect((caught as HmsError).message).toContain('/host');
  });
});
