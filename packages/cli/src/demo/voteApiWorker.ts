/**
 * vote-api: the demo workload. Each replica pulls "requests" from the shared vote router and
 * spends a fixed amount of CPU on each, so the total demand is shared across replicas and CPU
 * per pod falls as the autoscaler adds pods. Imports nothing but Node built-ins: dozens of
 * replicas start fast and stay small.
 */
import { request } from 'node:http';

interface Grant {
  units: number;
  costMs: number;
}

function getJson(url: string): Promise<Grant> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as Grant);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Burns `ms` of CPU (a real computation, so the kernel accounts it to this cgroup). */
export function burn(ms: number): number {
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  let x = 0;
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < 1000; i++) x = (x * 1103515245 + 12345) % 2147483648;
  }
  return x;
}

export async function runVoteApiWorker(env: NodeJS.ProcessEnv = process.env): Promise<never> {
  const router = (env.VOTE_ROUTER ?? 'http://127.0.0.1:9480').replace(/\/+$/, '');
  const name = env.HMS_SYS_POD_NAME ?? `vote-api-${process.pid}`;
  let done = 0;
  let failures = 0;
  for (;;) {
    try {
      const g = await getJson(`${router}/work?worker=${encodeURIComponent(name)}&done=${done}&max=50`);
      done = 0;
      failures = 0;
      if (g.units > 0) {
        burn(g.units * g.costMs);
        done = g.units;
      }
    } catch {
      // Router not there (yet): idle quietly and retry.
      failures++;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * failures)));
    }
  }
}
