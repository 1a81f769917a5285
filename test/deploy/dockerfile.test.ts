/**
 * deploy/Dockerfile, checked statically (no container engine runs on this machine): the stages,
 * the native build of better-sqlite3, every workspace copied, non-root by default, the ENTRYPOINT
 * the manifests rely on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY, REPO, podSpec, readYamlDocs } from './render.js';

interface Instruction { stage: number; op: string; args: string }

/** Dockerfile instructions (continuations joined, comments dropped), with their stage index. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of joined) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not an instruction: ${line}`);
    if (m[1] === 'FROM') stage++;
    out.push({ stage, op: m[1]!, args: m[2]!.replace(/\s+/g, ' ') });
  }
  return out;
}

const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
const ins = instructions(dockerfile);
const final = Math.max(...ins.map((i) => i.stage));
const rootPkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[]; scripts: Record<string, string> };

describe('deploy/Dockerfile', () => {
  it('builds on node:20-bookworm and runs on node:20-bookworm-slim', () => {
    const froms = ins.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(froms).toEqual(['node:20-bookworm AS build', 'node:20-bookworm-slim']);
  });

  it('compiles better-sqlite3 from source with npm ci, builds TypeScript, prunes dev dependencies', () => {
    const build = ins.filter((i) => i.stage === 0).map((i) => `${i.op} ${i.args}`).join('\n');
    expect(build).toMatch(/apt-get install .*python3.*make.*g\+\+/);
    expect(build).toMatch(/npm_config_build_from_source=true/);
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/npm rebuild better-sqlite3/);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(rootPkg.scripts.build).toBeDefined();
    // npm ci must not run the root "prepare" (a TypeScript build) before the sources are copied.
    const ci = ins.findIndex((i) => /npm ci/.test(i.args));
    const copySrc = ins.findIndex((i) => i.op === 'COPY' && /^packages\/ /.test(i.args));
    expect(ins[ci]!.args).toMatch(/--ignore-scripts/);
    expect(ci).toBeLessThan(copySrc);
  });

  it('copies the manifest of every npm workspace before npm ci, and every COPY source exists', () => {
    const ci = ins.findIndex((i) => /npm ci/.test(i.args));
    const early = ins.slice(0, ci).filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const ws of rootPkg.workspaces) expect(early, ws).toContain(`${ws}/package.json ${ws}/`);
    expect(early).toContain('package.json package-lock.json ./');
    for (const c of ins.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
      const parts = c.args.split(' ');
      for (const src of parts.slice(0, -1)) expect(existsSync(join(REPO, src)), `COPY ${src}`).toBe(true);
    }
  });

  it('runs as uid 10001 by default, with the ENTRYPOINT the manifests use', () => {
    const users = ins.filter((i) => i.stage === final && i.op === 'USER');
    expect(users.map((u) => u.args)).toEqual(['10001:10001']);
    const ep = ins.filter((i) => i.stage === final && i.op === 'ENTRYPOINT');
    expect(ep).toHaveLength(1);
    expect(JSON.parse(ep[0]!.args)).toEqual(['node', '/app/packages/cli/bin/hms-sys.js']);
    expect(ins.some((i) => i.stage === final && i.op === 'WORKDIR' && i.args === '/app')).toBe(true);
    expect(existsSync(join(REPO, 'packages', 'cli', 'bin', 'hms-sys.js'))).toBe(true);
    // The runtime stage gets the compiled packages and the pruned node_modules.
    const copies = ins.filter((i) => i.stage === final && i.op === 'COPY').map((i) => i.args);
    expect(copies).toEqual(expect.arrayContaining(['--from=build /app/node_modules/ node_modules/', '--from=build /app/packages/ packages/']));
  });

  it('matches the manifests: same uid, and the containers pass a subcommand to the ENTRYPOINT', () => {
    const [ds] = readYamlDocs(join(DEPLOY, 'agent', 'daemonset.yaml'));
    const [dep] = readYamlDocs(join(DEPLOY, 'aggregator', 'deployment.yaml'));
    for (const [w, sub] of [[ds!, 'agent'], [dep!, 'aggregator']] as const) {
      const spec = podSpec(w);
      expect(spec.securityContext.runAsUser).toBe(10001);
      expect(spec.containers[0].command).toBeUndefined();
      expect(spec.containers[0].args[0]).toBe(sub);
    }
  });

  it('has a BuildKit ignore file that keeps node_modules and build output out of the context', () => {
    const ignore = readFileSync(join(DEPLOY, 'Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });
});
