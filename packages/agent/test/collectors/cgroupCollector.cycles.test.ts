import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CgroupCollector } from '../../src/collectors/cgroupCollector.js';
import type { CgroupCollection } from '../../src/collectors/cgroupSample.js';
import { createFsHostReader } from '../../src/host/fsHostReader.js';
import { createHostPaths } from '../../src/host/hostPaths.js';
import { cid, cpuStatV2, FakeHostReader } from './fakeHostReader.js';

/**
 * Pods and containers come and go between cycles. The collector reuses directory listings while
 * a directory's stamp is unchanged; whatever it does internally, every cycle must report exactly
 * what is on disk, as a collector without that cache would.
 */
const paths = createHostPaths({ hostRoot: '/host' });
const CG = '/host/sys/fs/cgroup';
const layout = { version: 'v2', accountingDir: '', throttlingDir: '' } as const;
const UID = '8d2f6c1a-0b3e-4d5f-9a7b-6c5d4e3f2a1b';
const UID2 = '3f1e2d4c-5b6a-4789-8a0b-1c2d3e4f5a6b';
const UID3 = 'c0ffee00-1234-4abc-8def-0123456789ab';
const QOS = 'kubepods.slice/kubepods-burstable.slice';
const podDir = (uid: string): string => `${CG}/${QOS}/kubepods-burstable-pod${uid.replaceAll('-', '_')}.slice`;
const ctrDir = (uid: string, digit: string): string => `${podDir(uid)}/cri-containerd-${cid(digit)}.scope`;

function node(): FakeHostReader {
  return new FakeHostReader()
    .file(`${CG}/${QOS}/cpu.stat`, cpuStatV2(9_000_000))
    .file(`${podDir(UID)}/cpu.stat`, cpuStatV2(3_000_000))
    .file(`${ctrDir(UID, 'a')}/cpu.stat`, cpuStatV2(1_000_000))
    .file(`${ctrDir(UID, 'b')}/cpu.stat`, cpuStatV2(1_500_000))
    .file(`${podDir(UID2)}/cpu.stat`, cpuStatV2(700_000))
    .file(`${ctrDir(UID2, 'c')}/cpu.stat`, cpuStatV2(600_000));
}

/** uid -> sorted container ids, what a user of `hms-sys get pods` would compare. */
const view = (out: CgroupCollection): Record<string, string[]> =>
  Object.fromEntries(out.pods.map((p) => [p.uid, p.containers.map((c) => c.id).sort()]));

/** The collection with pods and containers in a canonical order (order is not part of the contract). */
const canonical = (out: CgroupCollection): CgroupCollection => ({
  ...out,
  pods: [...out.pods]
    .sort((a, b) => a.cgroupPath.localeCompare(b.cgroupPath))
    .map((p) => ({ ...p, containers: [...p.containers].sort((a, b) => a.id.localeCompare(b.id)) })),
});

/** Runs the same change script on a caching collector and on one whose reader cannot stamp. */
function bothWays(change: (fake: FakeHostReader) => void, relistEveryCycles?: number): { cached: CgroupCollection; uncached: CgroupCollection; fake: FakeHostReader } {
  const run = (stamps: boolean): { out: CgroupCollection; fake: FakeHostReader } => {
    const fake = node();
    fake.stamps = stamps;
    const c = new CgroupCollector({ paths, reader: fake, layout, ...(relistEveryCycles ? { relistEveryCycles } : {}) });
    c.collect();
    c.collect();
    change(fake);
    return { out: c.collect(), fake };
  };
  const cached = run(true);
  return { cached: cached.out, uncached: run(false).out, fake: cached.fake };
}

describe('CgroupCollector across cycles', () => {
  it('lists no directory in a cycle where nothing changed (so the cases below exercise the cache)', () => {
    const fake = node();
    const c = new CgroupCollector({ paths, reader: fake, layout, relistEveryCycles: 1000 });
    c.collect();
    c.collect();
    const before = fake.calls.readdir;
    c.collect();
    expect(fake.calls.readdir).toBe(before);
  });

  it('sees a container added to a running pod in the next cycle', () => {
    const { cached, uncached } = bothWays((f) => f.file(`${ctrDir(UID, 'd')}/cpu.stat`, cpuStatV2(10)));
    expect(view(cached)[UID]).toEqual([cid('a'), cid('b'), cid('d')]);
    expect(canonical(cached)).toEqual(canonical(uncached));
  });

  it('sees a restarted container (old cgroup gone, new one there: same count) in the same cycle, without an error', () => {
    const { cached, uncached } = bothWays((f) => f.remove(ctrDir(UID, 'a')).file(`${ctrDir(UID, '0')}/cpu.stat`, cpuStatV2(20)));
    expect(view(cached)[UID]).toEqual([cid('0'), cid('b')]);
    expect(cached.readErrors).toBe(0);
    expect(cached.pods.every((p) => !p.partial)).toBe(true);
    expect(canonical(cached)).toEqual(canonical(uncached));
  });

  it('sees a pod replaced by another in the same QoS class in the same cycle, without an error', () => {
    const { cached, uncached } = bothWays((f) => f.remove(podDir(UID2)).file(`${ctrDir(UID3, 'f')}/cpu.stat`, cpuStatV2(5)).file(`${podDir(UID3)}/cpu.stat`, cpuStatV2(6)));
    expect(view(cached)).toEqual({ [UID]: [cid('a'), cid('b')], [UID3]: [cid('f')] });
    expect(cached.readErrors).toBe(0);
    expect(canonical(cached)).toEqual(canonical(uncached));
  });

  it('forgets a deleted pod', () => {
    const { cached, uncached } = bothWays((f) => f.remove(podDir(UID)));
    expect(Object.keys(view(cached))).toEqual([UID2]);
    expect(canonical(cached)).toEqual(canonical(uncached));
  });

  it('sees a restart in a settled pod in the same cycle, and a container added to it within relistEveryCycles', () => {
    const fake = node();
    const c = new CgroupCollector({ paths, reader: fake, layout, settleCycles: 2, relistEveryCycles: 5 });
    for (let i = 0; i < 6; i++) c.collect();

    fake.remove(ctrDir(UID, 'a')).file(`${ctrDir(UID, '0')}/cpu.stat`, cpuStatV2(1));
    const restarted = c.collect();
    expect(view(restarted)[UID]).toEqual([cid('0'), cid('b')]);
    expect(restarted.readErrors).toBe(0);

    for (let i = 0; i < 6; i++) c.collect();
    fake.file(`${ctrDir(UID, 'd')}/cpu.stat`, cpuStatV2(10));
    const seen = [1, 2, 3, 4, 5].map(() => view(c.collect())[UID]?.includes(cid('d')));
    expect(seen.at(-1)).toBe(true);
  });

  it('finds a container hidden by a same-count swap with a skipped cgroup within relistEveryCycles cycles', () => {
    const fake = node().dir(`${podDir(UID)}/var-lib-kubelet.mount`);
    const c = new CgroupCollector({ paths, reader: fake, layout, relistEveryCycles: 3 });
    c.collect();
    fake.remove(`${podDir(UID)}/var-lib-kubelet.mount`).file(`${ctrDir(UID, 'd')}/cpu.stat`, cpuStatV2(10));
    const seen = [1, 2, 3, 4].map(() => view(c.collect())[UID]?.includes(cid('d')));
    expect(seen.at(-1)).toBe(true);
  });
});

describe('CgroupCollector across cycles on a real directory tree', () => {
  const FIXTURE = fileURLToPath(new URL('../fixtures/v2-systemd-containerd/', import.meta.url));
  const tmp = mkdtempSync(path.join(tmpdir(), 'hms-cycles-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('follows containers being added and replaced on disk', () => {
    cpSync(FIXTURE, tmp, { recursive: true });
    const hostPaths = createHostPaths({ hostRoot: tmp });
    const c = new CgroupCollector({ paths: hostPaths, reader: createFsHostReader(), layout });
    const pod = hostPaths.cgroup(`kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice`);
    const before = view(c.collect())[UID];
    expect(before).toEqual([cid('2'), cid('b'), cid('c')]);
    c.collect();

    const add = (digit: string): void => {
      mkdirSync(`${pod}/cri-containerd-${cid(digit)}.scope`);
      writeFileSync(`${pod}/cri-containerd-${cid(digit)}.scope/cpu.stat`, cpuStatV2(1));
    };
    add('d');
    expect(view(c.collect())[UID]).toEqual([cid('2'), cid('b'), cid('c'), cid('d')]);

    rmSync(`${pod}/cri-containerd-${cid('c')}.scope`, { recursive: true });
    add('e');
    const out = c.collect();
    expect(view(out)[UID]).toEqual([cid('2'), cid('b'), cid('d'), cid('e')]);
    expect(out.readErrors).toBe(0);
  });
});
